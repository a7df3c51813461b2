// The chat page in headless Chromium: a customer asks a question, the answer streams into a live
// bubble, then the final reply with its citations replaces it. Prints what it saw as JSON; exits 1
// on a failure. Run by EndToEndIT against the real stack:
//   NODE_PATH=<node_modules> node chat-stream.js BASE_URL CUSTOMER_APP_KEY CHROMIUM
const { chromium } = require('playwright-core');

(async () => {
  const [base, key, executablePath] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/#key=${key}`);
    await page.fill('#message-input', 'How do I reset my password?');
    // every text the live bubble shows while the answer streams
    await page.evaluate(() => {
      window.liveTexts = [];
      new MutationObserver(() => {
        const live = document.querySelector('.message.agent.streaming .bubble');
        if (live) window.liveTexts.push(live.textContent);
      }).observe(document.getElementById('messages'), { subtree: true, childList: true, characterData: true });
    });
    await page.click('#send-button');
    await page.waitForSelector('.message.agent:not(.streaming) .bubble', { timeout: 30000 });
    const result = await page.evaluate(() => ({
      liveTexts: window.liveTexts,
      streamingLeft: document.querySelectorAll('.message.agent.streaming').length,
      reply: document.querySelector('.message.agent:not(.streaming) .bubble').textContent,
      citations: [...document.querySelectorAll('.message.agent:not(.streaming) li')].map((li) => li.textContent.trim()),
    }));
    result.errors = errors;
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
