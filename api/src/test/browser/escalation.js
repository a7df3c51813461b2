// A customer handed to a person and back, in headless Chromium: on the chat page the customer asks
// for a human (or, if the request alone does not escalate, presses "Talk to a person",
// #escalate-button); on the agent console (/agent) Ana finds the escalation in the queue, claims it
// and replies; the customer's page shows her reply; Ana resolves it, handing the conversation back
// to the bot. Prints what it saw as JSON; exits 1 on a failure. Run by EndToEndIT against the real
// stack:
//   NODE_PATH=<node_modules> node escalation.js BASE_URL CUSTOMER_APP_KEY AGENT_KEY CHROMIUM
const { chromium } = require('playwright-core');

const ASK = "I'd like to talk to a human, please";
const REPLY = 'Hi, this is Ana from support.';
const AGENT = 'ana';

(async () => {
  const [base, customerKey, agentKey, executablePath, temporalUi, shots] = process.argv.slice(2);
  const shot = async (page, name) => { if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true }); };
  const seen = { customerId: null, conversationId: null, escalated: false, escalatedBy: null, queued: false,
    escalationId: null, claimed: false, consoleShowedReply: false, customerSawReply: false, replyRole: null,
    resolved: false, handedBack: false, conversationStatusAfter: null, errors: [], consoleErrors: [] };
  const fail = (what, e) => seen.errors.push(`${what}: ${e && e.message ? e.message.split('\n')[0] : e}`);

  // The conversation as the API has it: the truth behind what the pages show.
  const conversation = async () => {
    const res = await fetch(`${base}/v1/conversations/${seen.conversationId}`, {
      headers: { Authorization: `Bearer ${customerKey}`, 'X-Customer-Id': seen.customerId } });
    if (!res.ok) throw new Error(`GET conversation: HTTP ${res.status}`);
    return res.json();
  };
  const waitForStatus = async (wanted, ms) => {
    const until = Date.now() + ms;
    for (;;) {
      const c = await conversation();
      if (c.status === wanted || Date.now() > until) return c.status;
      await new Promise((r) => setTimeout(r, 300));
    }
  };

  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const watch = (page, name) => {
      page.on('pageerror', (e) => seen.errors.push(`${name} page error: ${e}`));
      page.on('console', (m) => { if (m.type() === 'error') seen.consoleErrors.push(`${name}: ${m.text()}`); });
      page.on('dialog', (d) => d.accept());
    };

    // the customer asks for a person
    const customer = await (await browser.newContext()).newPage();
    watch(customer, 'chat');
    await customer.goto(`${base}/#key=${customerKey}`);
    seen.customerId = await customer.inputValue('#customer-id');
    await customer.fill('#message-input', ASK);
    await customer.click('#send-button');
    await customer.waitForFunction(() => document.querySelector('.message.agent:not(.streaming)')
      || !document.getElementById('error').hidden, null, { timeout: 45000 });
    seen.conversationId = await customer.evaluate(() => sessionStorage.getItem('lumora.conversationId'));
    if (!seen.conversationId) throw new Error(`no conversation started: ${await customer.textContent('#error')}`);
    if (await waitForStatus('ESCALATED', 3000) === 'ESCALATED') {
      seen.escalated = true; seen.escalatedBy = 'message';
    } else if (await customer.$('#escalate-button')) {
      await customer.click('#escalate-button', { timeout: 10000 });
      seen.escalated = await waitForStatus('ESCALATED', 15000) === 'ESCALATED';
      seen.escalatedBy = 'button';
    } else {
      fail('escalate', 'the request did not escalate and the chat page has no #escalate-button');
    }
    if (!seen.escalated) throw new Error('the conversation was not escalated');

    // Ana finds it in the queue and claims it
    const agent = await (await browser.newContext()).newPage();
    watch(agent, 'console');
    await agent.goto(`${base}/agent#key=${agentKey}&agent=${AGENT}`);
    await agent.fill('#search', seen.customerId);
    const ticket = `#queue li[data-customer-id="${seen.customerId}"] button.ticket`;
    try {
      await agent.waitForSelector(ticket, { timeout: 15000 });
      seen.queued = true;
      seen.escalationId = await agent.getAttribute(ticket.replace(' button.ticket', ''), 'data-escalation-id');
      await agent.click(ticket);
      await agent.waitForSelector('#claim-button:not([disabled]):not([hidden])', { timeout: 15000 });
      await agent.click('#claim-button');
      await agent.waitForSelector('#reply-input:not([disabled])', { timeout: 15000 });
      seen.claimed = true;
    } catch (e) { fail('claim', e); }

    if (seen.claimed) {
      try {
        await agent.fill('#reply-input', REPLY);
        await agent.click('#reply-button');
        await agent.waitForFunction((t) => [...document.querySelectorAll('#transcript .message.human .bubble')]
          .some((b) => b.textContent === t), REPLY, { timeout: 15000 });
        seen.consoleShowedReply = true;
      } catch (e) { fail('reply', e); }
      // while it waits for the person, operators find it in the Temporal UI
      if (temporalUi) {
        try {
          const ui = await (await browser.newContext()).newPage();
          const query = encodeURIComponent('SupportStatus="ESCALATED"');
          await ui.goto(`${temporalUi}/namespaces/default/workflows?query=${query}`);
          await ui.waitForFunction((id) => document.body.textContent.includes(id), seen.conversationId, { timeout: 30000 });
          seen.listedInTemporalUi = true;
          await shot(ui, 'temporal-ui-escalated');
          await ui.close();
        } catch (e) { fail('Temporal UI lists the escalated conversation', e); }
      }
      await shot(agent, 'agent-console-replied');
      // the customer sees it on the chat page
      try {
        await customer.waitForFunction((t) => document.getElementById('messages').textContent.includes(t), REPLY, { timeout: 15000 });
        seen.customerSawReply = true;
        seen.replyRole = await customer.evaluate((t) => {
          const hit = [...document.querySelectorAll('#messages *')].reverse().find((n) => n.textContent.includes(t));
          const message = hit && hit.closest('.message');
          return message ? message.className : null;
        }, REPLY);
      } catch (e) { fail('customer sees the reply', e); }
      // Ana resolves, handing the conversation back to the bot
      try {
        await agent.fill('#resolution-input', 'Answered by Ana in the end-to-end test');
        await agent.check('#hand-back');
        await agent.click('#resolve-button');
        await agent.waitForSelector('#resolved-banner:not([hidden])', { timeout: 15000 });
        seen.resolved = true;
        seen.conversationStatusAfter = await waitForStatus('ACTIVE', 10000);
        seen.handedBack = seen.conversationStatusAfter === 'ACTIVE';
      } catch (e) { fail('resolve', e); }
      await shot(customer, 'chat-page-human-reply');
      // and the bot answers again
      try {
        const before = await customer.$$eval('.message.agent:not(.human):not(.streaming)', (els) => els.length);
        await customer.fill('#message-input', 'How do I reset my password?');
        await customer.click('#send-button');
        await customer.waitForFunction((n) => document.querySelectorAll('.message.agent:not(.human):not(.streaming)').length > n,
          before, { timeout: 30000 });
        seen.botAnsweredAgain = await customer.$$eval('.message.agent:not(.human):not(.streaming) .bubble',
          (els) => els[els.length - 1].textContent.toLowerCase().includes('password'));
        await shot(customer, 'chat-page-bot-again');
      } catch (e) { fail('the bot answers again', e); }
    }
    const actionError = await agent.$('#action-error:not([hidden])');
    if (actionError) fail('console showed an error', await actionError.textContent());
  } catch (e) {
    fail('run', e);
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(seen));
  const ok = seen.escalated && seen.queued && seen.claimed && seen.consoleShowedReply && seen.customerSawReply
    && seen.resolved && seen.handedBack && seen.botAnsweredAgain && (!temporalUi || seen.listedInTemporalUi)
    && seen.errors.length === 0;
  process.exit(ok ? 0 : 1);
})().catch((e) => { console.error(e); process.exit(1); });
