package dev.supportagent.activities.model.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelGatewayConfigTest {

  private static Map<String, String> env(String... kv) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      env.put(kv[i], kv[i + 1]);
    }
    return env;
  }

  @Test
  void should_be_offline_for_both_tiers_when_unset() {
    ModelGatewayConfig config = ModelGatewayConfig.fromEnv(Map.of());

    assertEquals(List.of(ModelEndpoint.OFFLINE), config.chain(ModelTier.FAST));
    assertEquals(List.of(ModelEndpoint.OFFLINE), config.chain(ModelTier.STRONG));
  }

  @Test
  void should_parse_entries_in_order_and_append_offline() {
    ModelGatewayConfig config =
        ModelGatewayConfig.fromEnv(
            env(
                "SUPPORT_MODEL_FAST", " openai:gpt-4o-mini@http://127.0.0.1:8000/v1/ , anthropic:claude-3-5-haiku-latest",
                "SUPPORT_MODEL_STRONG", "openai:llama3.1:8b@http://127.0.0.1:11434/v1,offline",
                "ANTHROPIC_API_KEY", "sk-ant-test"));

    assertEquals(
        List.of(
            new ModelEndpoint(ProviderKind.OPENAI, "gpt-4o-mini", "http://127.0.0.1:8000/v1"),
            new ModelEndpoint(ProviderKind.ANTHROPIC, "claude-3-5-haiku-latest", null),
            ModelEndpoint.OFFLINE),
        config.chain(ModelTier.FAST));
    assertEquals(
        List.of(
            new ModelEndpoint(ProviderKind.OPENAI, "llama3.1:8b", "http://127.0.0.1:11434/v1"),
            ModelEndpoint.OFFLINE),
        config.chain(ModelTier.STRONG),
        "a model name may contain colons; the base URL starts at the first @");
    assertEquals("sk-ant-test", config.apiKey(ProviderKind.ANTHROPIC));
    assertEquals("anthropic@https://api.anthropic.com/v1", config.chain(ModelTier.FAST).get(1).breakerKey());
  }

  @Test
  void should_never_show_keys_in_its_string_form() {
    ModelGatewayConfig config =
        ModelGatewayConfig.fromEnv(
            env("SUPPORT_MODEL_FAST", "openai:gpt-4o-mini", "OPENAI_API_KEY", "sk-secret-123"));

    assertFalse(config.toString().contains("sk-secret-123"), config.toString());
    assertTrue(config.toString().contains("openai:gpt-4o-mini"), config.toString());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "mistral:large              | SUPPORT_MODEL_FAST: entry 'mistral:large' has an unknown provider 'mistral'",
        "openai                     | SUPPORT_MODEL_FAST: entry 'openai' has no model",
        "openai:@http://h:1/v1      | SUPPORT_MODEL_FAST: entry 'openai:@http://h:1/v1' has no model",
        "openai:gpt-4o-mini@ftp://h | SUPPORT_MODEL_FAST: entry 'openai:gpt-4o-mini@ftp://h' has a bad base URL 'ftp://h'",
        "openai:gpt-4o-mini@not a url | SUPPORT_MODEL_FAST: entry 'openai:gpt-4o-mini@not a url' has a bad base URL",
        "openai:gpt-4o-mini@http:///v1 | SUPPORT_MODEL_FAST: entry 'openai:gpt-4o-mini@http:///v1' has a bad base URL",
        "openai:gpt-4o-mini         | SUPPORT_MODEL_FAST: entry 'openai:gpt-4o-mini' needs OPENAI_API_KEY",
        "anthropic:claude-3-5-haiku-latest | SUPPORT_MODEL_FAST: entry 'anthropic:claude-3-5-haiku-latest' needs ANTHROPIC_API_KEY",
        "offline:extractive         | SUPPORT_MODEL_FAST: entry 'offline:extractive': offline takes no model",
        "'offline,openai:x@http://h:1/v1' | SUPPORT_MODEL_FAST: entry 'openai:x@http://h:1/v1' comes after offline",
        "'openai:x@http://h:1/v1,,offline' | SUPPORT_MODEL_FAST: entry 2 is empty",
      })
  void should_reject_a_misconfigured_chain_naming_the_entry_and_the_variable(String chain, String expected) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelGatewayConfig.fromEnv(env("SUPPORT_MODEL_FAST", chain)));

    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void should_accept_a_keyless_server_by_base_url() {
    ModelGatewayConfig config =
        ModelGatewayConfig.fromEnv(
            env("SUPPORT_MODEL_STRONG", "anthropic:claude-x@https://proxy.internal/v1,openai:m@http://127.0.0.1:1/v1"));

    assertEquals(3, config.chain(ModelTier.STRONG).size());
  }

  @Test
  void should_report_every_bad_entry_of_both_variables_at_once() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ModelGatewayConfig.fromEnv(
                    env(
                        "SUPPORT_MODEL_FAST", "openai:gpt-4o-mini,bogus:x",
                        "SUPPORT_MODEL_STRONG", "anthropic:",
                        "SUPPORT_MODEL_PRICES", "/no/such/prices.properties")));

    String m = e.getMessage();
    assertTrue(m.contains("SUPPORT_MODEL_FAST: entry 'openai:gpt-4o-mini' needs OPENAI_API_KEY"), m);
    assertTrue(m.contains("SUPPORT_MODEL_FAST: entry 'bogus:x' has an unknown provider"), m);
    assertTrue(m.contains("SUPPORT_MODEL_STRONG: entry 'anthropic:' has no model"), m);
    assertTrue(m.contains("SUPPORT_MODEL_PRICES names '/no/such/prices.properties'"), m);
  }

  @Test
  void should_override_and_extend_the_built_in_prices_from_a_file(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("prices.properties");
    Files.writeString(file, "openai/gpt-4o-mini = 1, 2\nopenai/llama3.1\\:8b = 0.01, 0.02\n");

    ModelGatewayConfig config = ModelGatewayConfig.fromEnv(env("SUPPORT_MODEL_PRICES", file.toString()));
    ModelPrices prices = ModelPrices.load(config.pricesFile());

    assertEquals(new ModelPrices.Price(1, 2), prices.price(ProviderKind.OPENAI, "gpt-4o-mini").orElseThrow());
    assertEquals(0.01, prices.price(ProviderKind.OPENAI, "llama3.1:8b").orElseThrow().inputPerMillion());
    assertEquals(
        new ModelPrices.Price(0.80, 4.00),
        prices.price(ProviderKind.ANTHROPIC, "claude-3-5-haiku-latest").orElseThrow(),
        "built-in entries not overridden stay");
    assertEquals(3.0e-6 * 1000 + 2.0e-6 * 0, new ModelPrices.Price(3, 15).cost(1000, 0), 1e-12);
  }

  @Test
  void should_reject_a_malformed_price_line(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("prices.properties");
    Files.writeString(file, "openai/gpt-4o-mini = cheap\n");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelPrices.load(file));
    assertTrue(e.getMessage().contains("openai/gpt-4o-mini"), e.getMessage());
  }
}
