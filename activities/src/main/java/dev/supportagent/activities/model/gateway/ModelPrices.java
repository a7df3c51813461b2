package dev.supportagent.activities.model.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Model prices in USD per million input and output tokens, keyed by {@code provider/model}. The
 * built-in table is the resource {@code model-prices.properties}; a file named by {@code
 * SUPPORT_MODEL_PRICES} in the same format overrides and extends it.
 */
public final class ModelPrices {

  public static final String RESOURCE = "/model-prices.properties";

  /** USD per million tokens. */
  public record Price(double inputPerMillion, double outputPerMillion) {

    public double cost(long tokensIn, long tokensOut) {
      return (tokensIn * inputPerMillion + tokensOut * outputPerMillion) / 1_000_000.0;
    }
  }

  private final Map<String, Price> prices;

  private ModelPrices(Map<String, Price> prices) {
    this.prices = Map.copyOf(prices);
  }

  /** The built-in table. */
  public static ModelPrices builtIn() {
    try (InputStream in = ModelPrices.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      Map<String, Price> table = new HashMap<>();
      parse(load(new InputStreamReader(in, StandardCharsets.UTF_8)), RESOURCE, table);
      return new ModelPrices(table);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The built-in table, overridden and extended by {@code overrides} when it is not null. */
  public static ModelPrices load(Path overrides) {
    if (overrides == null) {
      return builtIn();
    }
    Map<String, Price> table = new HashMap<>(builtIn().prices);
    try (Reader in = Files.newBufferedReader(overrides, StandardCharsets.UTF_8)) {
      parse(load(in), overrides.toString(), table);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the price table " + overrides, e);
    }
    return new ModelPrices(table);
  }

  /** A table of exactly these prices, keyed by {@code provider/model}. */
  public static ModelPrices of(Map<String, Price> prices) {
    return new ModelPrices(prices);
  }

  public Optional<Price> price(ProviderKind provider, String model) {
    return Optional.ofNullable(prices.get(provider.id() + "/" + model));
  }

  private static Properties load(Reader in) throws IOException {
    Properties p = new Properties();
    p.load(in);
    return p;
  }

  private static void parse(Properties p, String source, Map<String, Price> into) {
    for (String key : p.stringPropertyNames()) {
      String value = p.getProperty(key);
      String[] parts = value.split(",");
      if (!key.contains("/") || parts.length != 2) {
        throw new IllegalArgumentException(
            source + ": '" + key + " = " + value + "' must be 'provider/model = INPUT, OUTPUT'");
      }
      try {
        Price price = new Price(Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip()));
        if (price.inputPerMillion() < 0 || price.outputPerMillion() < 0) {
          throw new NumberFormatException("negative");
        }
        into.put(key.strip(), price);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            source + ": '" + key + " = " + value + "' must have two non-negative numbers", e);
      }
    }
  }
}
