package dev.supportagent.activities.model.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContrastGuardTest {

  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "none",
      value = {
        "my bulb died after 2 years           | my bulb died after 4 years                 | number",
        "is it 2 years                        | is it two years                            | none",
        "deleted my account yesterday         | deleted my account 3 days ago              | number",
        "can I return it if I have cut it     | can I return it if I haven't cut it        | negation",
        "what if I don't verify my email      | what if I never verify my email            | none",
        "are you open on Saturdays in the UK  | are you open on Saturdays in the US        | place",
        "can I pay by SEPA                    | can I pay by SEPA from the United Kingdom  | place",
        "delivery time to the UK              | delivery time to the United Kingdom        | none",
        "how much is Pro in euros             | how much is Pro in pounds                  | currency",
        "Pro costs $79.99                     | Pro costs 79.99 dollars                    | none",
        "are you open on Saturdays            | are you open on Sundays                    | weekday",
        "how much is Pro per year             | how much is Pro per month                  | period",
        "how much is Pro per year             | how much is Pro annually                   | none",
        "the hub light is solid amber         | the hub light is solid red                 | colour",
        "the hub light is amber               | the hub light is amber and steady          | none",
        "how do I turn on 2FA                 | how do I turn off 2FA                      | opposite",
        "if I downgrade from Pro to Plus      | if I upgrade from Plus to Pro              | opposite",
        "how do I cancel my subscription      | how can I stop my subscription renewing    | none",
      })
  void should_name_the_detail_two_questions_differ_in(String a, String b, String expected) {
    assertEquals(
        Optional.ofNullable(expected),
        ContrastGuard.contrast(QuestionNormalizer.normalize(a), QuestionNormalizer.normalize(b)));
  }
}
