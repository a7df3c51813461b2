package dev.supportagent.activities.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

  private final Redactor redactor = new Redactor(PiiDetector.defaults());

  @Test
  void should_replace_values_with_typed_placeholders_and_restore_them_in_the_reply() {
    String message = "I'm Lena Andersson, mail lena@example.com or call (415) 555-0132 about card 4111 1111 1111 1111.";

    Redactor.Redaction r = redactor.redact(message);

    assertEquals(
        "I'm [PERSON_1], mail [EMAIL_1] or call [PHONE_1] about card [CREDIT_CARD_1].", r.text());
    assertEquals(
        List.of(PiiType.PERSON, PiiType.EMAIL_ADDRESS, PiiType.PHONE_NUMBER, PiiType.CREDIT_CARD), r.types());
    String reply = "Thanks [PERSON_1], we'll write to [EMAIL_1] and call [PHONE_1] about the card [CREDIT_CARD_1].";
    assertEquals(
        "Thanks Lena Andersson, we'll write to lena@example.com and call (415) 555-0132 about the card ****1111.",
        Redactor.restore(reply, r.mapping()));
  }

  @Test
  void should_give_one_value_one_placeholder_across_messages_whatever_its_format() {
    PlaceholderMapping mapping = new PlaceholderMapping();

    String first = redactor.redact("Call +1 415-555-0132 please", mapping);
    String second = redactor.redact("or (415) 555 0132, or a@b.example", mapping);

    assertEquals("Call [PHONE_1] please", first);
    assertEquals("or [PHONE_1], or [EMAIL_1]", second);
    assertEquals(2, mapping.size());
  }

  @Test
  void should_leave_placeholders_it_did_not_make_and_accept_a_changed_case() {
    Redactor.Redaction r = redactor.redact("mail lena@example.com");

    assertEquals("lena@example.com or [EMAIL_2]", Redactor.restore("[email_1] or [EMAIL_2]", r.mapping()));
  }

  @Test
  void should_show_only_the_tail_of_cards_ibans_ssns_and_secrets() {
    Redactor.Redaction r =
        redactor.redact("IBAN GB82 WEST 1234 5698 7654 32, SSN 460-89-9847, key AKIAIOSFODNN7EXAMPLE");

    assertEquals("IBAN [IBAN_1], SSN [SSN_1], key [SECRET_1]", r.text());
    assertEquals("****5432 ****9847 ****MPLE", Redactor.restore("[IBAN_1] [SSN_1] [SECRET_1]", r.mapping()));
  }

  @Test
  void should_never_print_the_values_it_holds() {
    Redactor.Redaction r = redactor.redact("lena@example.com, 415-555-0132");

    assertFalse(r.mapping().toString().contains("lena"), r.mapping().toString());
    assertFalse(r.toString().contains("555"), r.toString());
    assertTrue(r.mapping().contains(PiiType.PHONE_NUMBER, "(415) 555 0132"));
  }

  @Test
  void should_leave_text_without_personal_data_alone() {
    Redactor.Redaction r = redactor.redact("How do I reset my password?");

    assertEquals("How do I reset my password?", r.text());
    assertTrue(r.mapping().isEmpty());
    assertEquals("Go to Settings [1].", Redactor.restore("Go to Settings [1].", r.mapping()));
  }

  @Test
  void should_keep_places_in_text_for_a_model_call() {
    Redactor.Redaction r = Redactor.forModelCalls().redact("I moved here from Germany, mail lena@example.com");

    assertEquals("I moved here from Germany, mail [EMAIL_1]", r.text());
  }
}
