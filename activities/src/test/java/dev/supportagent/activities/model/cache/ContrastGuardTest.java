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
        "the hub light is amber               | the hub light is amber and steady          | wording",
        "how do I turn on 2FA                 | how do I turn off 2FA                      | opposite",
        "if I downgrade from Pro to Plus      | if I upgrade from Plus to Pro              | opposite",
        "how do I cancel my subscription      | how can I cancel my subscription           | none",
        "how do I cancel my subscription      | how can I stop my subscription renewing    | wording",
        "yearly plan, can I move to monthly   | monthly plan, can I move to yearly         | wording",
        "how close must the hub be for pairing | how close must the hub be after pairing   | wording",
        "as a business, can I skip VAT        | as a student, can I skip VAT               | wording",
        "do you take amex                     | do you accept amex                         | wording",
        "can I get a refund                   | how do I get a refund                      | wording",
        "can I return a bulb                  | can I return a refurbished bulb            | wording",
        "a refund on my yearly plan           | a refund for my yearly plan                | none",
        "my card got declined                 | my card was declined                       | none",
        "does the hub work on 5ghz wifi       | does the hub work with 5 ghz wi fi         | none",
        "what is the difference with Pro      | what is the diffrence with Pro             | none",
        "my strip is 8 metres long            | my strip is 8 meters long                  | none",
        "can I pair a bulb                    | can I pair a bull                          | wording",
      })
  void should_name_the_detail_two_questions_differ_in(String a, String b, String expected) {
    assertEquals(
        Optional.ofNullable(expected),
        ContrastGuard.contrast(QuestionNormalizer.normalize(a), QuestionNormalizer.normalize(b)));
  }

  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource({
    "difference, diffrence, true",
    "metres, meters, true",
    "warranty, warrenty, true",
    "cancel, cancels, true",
    "monthly, yearly, false",
    "refund, refunded, false",
    "abcdef, abcdef, true",
  })
  void should_tell_a_slip_of_one_letter(String u, String v, boolean expected) {
    assertEquals(expected, ContrastGuard.oneSlipApart(u, v));
  }
}
