package dev.supportagent.activities.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PiiDetectorTest {

  private static final PiiDetector DETECTOR = PiiDetector.defaults();

  /** "TYPE=value" for each span found, in text order. */
  static List<String> found(String text) {
    return DETECTOR.detect(text).stream()
        .map(s -> s.type() + "=" + text.substring(s.start(), s.end()))
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // e-mail addresses
        "Write to jane.doe+billing@example.co.uk today. | EMAIL_ADDRESS=jane.doe+billing@example.co.uk",
        "my e-mail UtaKortig@jourrapide.com? | EMAIL_ADDRESS=UtaKortig@jourrapide.com",
        "Mail me at o'neil@mail.example.org. | EMAIL_ADDRESS=o'neil@mail.example.org",
        // phone numbers: valid in the US, international anywhere, national ones next to a phone word
        "Call me at (415) 555-0132 after five | PHONE_NUMBER=(415) 555-0132",
        "message on my registered 905-674-3793. Could you | PHONE_NUMBER=905-674-3793",
        "UK office: +44 20 7946 0958 | PHONE_NUMBER=+44 20 7946 0958",
        "Fax: 345-899-3560x4587 | PHONE_NUMBER=345-899-3560x4587",
        "Phone: 0490 75 40 81 | PHONE_NUMBER=0490 75 40 81",
        "Can someone call me on 9472 7916? | PHONE_NUMBER=9472 7916",
        "They're not answering at 0680 298 70 63 | PHONE_NUMBER=0680 298 70 63",
        "İİİİ İstanbul office, call me on 0490 75 40 81 | PHONE_NUMBER=0490 75 40 81",
        // payment cards: Luhn
        "My card 4111 1111 1111 1111 was charged twice | CREDIT_CARD=4111 1111 1111 1111",
        "cancel my card 4454794511390933 because | CREDIT_CARD=4454794511390933",
        "Amex 3782-822463-10005 please | CREDIT_CARD=3782-822463-10005",
        // IBAN: country length and mod 97, compact, grouped or in lower case
        "My IBAN is GB82 WEST 1234 5698 7654 32 thanks | IBAN_CODE=GB82 WEST 1234 5698 7654 32",
        "transfer from DE89370400440532013000 to other | IBAN_CODE=DE89370400440532013000",
        "my iban is gb42nawi04454264788619 | IBAN_CODE=gb42nawi04454264788619",
        // US social security numbers
        "Here's my SSN: 460-89-9847 | US_SSN=460-89-9847",
        "SSN 123456789 on file | US_SSN=123456789",
        // IP addresses
        "keep getting address 41.173.96.26 blocked | IP_ADDRESS=41.173.96.26",
        "from 2001:db8:85a3::8a2e:370:7334 today | IP_ADDRESS=2001:db8:85a3::8a2e:370:7334",
        "address 6e40:4041:c617:e898:c11:40d2:c669:2eb4 blocked | IP_ADDRESS=6e40:4041:c617:e898:c11:40d2:c669:2eb4",
        // secrets
        "key sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z works | API_KEY=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z",
        "token ghp_0123456789abcdefghijABCDEFGHIJ012345 | API_KEY=ghp_0123456789abcdefghijABCDEFGHIJ012345",
        "AWS AKIAIOSFODNN7EXAMPLE leaked | API_KEY=AKIAIOSFODNN7EXAMPLE",
        "slack xoxb-123456789012-abcdefABCDEF | API_KEY=xoxb-123456789012-abcdefABCDEF",
        "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok"
            + " | API_KEY=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "secret Zx9Qw3Er7Ty1Ui5Op8As2Df6Gh4Jk0Lm here | API_KEY=Zx9Qw3Er7Ty1Ui5Op8As2Df6Gh4Jk0Lm",
        // names, addresses, places (best effort)
        "Hi, my name is Lena Andersson and I need help | PERSON=Lena Andersson",
        "Please ask Mrs. Diana Usamov to call | PERSON=Diana Usamov",
        "Send it to 221 Baker Street, Apt 4 please | ADDRESS=221 Baker Street, Apt 4",
        "I live at Rue de Tanger 29 now | ADDRESS=Rue de Tanger 29",
        "She moved here from Estonia | LOCATION=Estonia",
      })
  void should_find_each_type(String text, String expected) {
    assertTrue(found(text).contains(expected), () -> text + " -> " + found(text));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Order 1234 ships in 2-3 days",
        "Your order number is 1234-5678-90",
        "Released on 2026-11-27 at 10:30",
        "The invoice dated 27.11.2026 is attached",
        "Plus costs $39.99 a year, or 1,299.00 EUR",
        "We sold 1 234 567 lamps",
        "Firmware 3.14.159 is out, and v1.2.3.4 too",
        "Tracking number 1Z999AA10123456784",
        "Card ending in 4242 was declined",
        "The card 4111 1111 1111 1112 fails the Luhn check",
        "An IBAN with a bad check digit: GB83 WEST 1234 5698 7654 32",
        "SSN-like 000-12-3456 and 666-12-3456 and 900-12-3456 are never issued",
        "Nine digits 123456789 without a cue are no SSN",
        "Version 10.0.0.256 is not an address, nor is 1.2.3",
        "Meet at 12:30:45 or 10:30",
        "user@localhost is not an address",
        "The hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 is lower case hex",
        "A sentence with Ordinary Capitalised Words In It.",
        "Go to Settings > Account > Security to reset it",
        "Reset links are valid for 60 minutes",
      })
  void should_not_find_anything_in_near_misses(String text) {
    assertEquals(List.of(), found(text), text);
  }

  @Test
  void should_prefer_the_more_specific_type_when_spans_overlap() {
    // a card number is also a run of digits a phone library might read
    assertEquals(List.of("CREDIT_CARD=4454794511390933"), found("call 4454794511390933"));
    // the e-mail address wins over the name inside it
    assertEquals(List.of("EMAIL_ADDRESS=Lena.Andersson@example.com"), found("Lena.Andersson@example.com"));
  }

  @Test
  void should_honour_the_types_and_reject_unknown_phone_regions() {
    PiiDetector emails = PiiDetector.builder().types(java.util.EnumSet.of(PiiType.EMAIL_ADDRESS)).build();
    assertEquals(1, emails.detect("a@b.example and (415) 555-0132").size());
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> PiiDetector.builder().phoneRegions(List.of("XX")).build());
  }

  @Test
  void should_return_spans_in_text_order_without_overlaps() {
    String text = "jane@example.com, 415-555-0132, 4111111111111111, 10.0.0.1";
    List<PiiSpan> spans = DETECTOR.detect(text);
    assertEquals(4, spans.size());
    for (int i = 1; i < spans.size(); i++) {
      assertTrue(spans.get(i - 1).end() <= spans.get(i).start());
    }
  }
}
