package dev.supportagent.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestCommandTest {

  final Path root = Path.of("kb-root");

  @Test
  void should_read_flags_and_take_a_path_inside_the_root_relative_to_it() {
    IngestCommand.Args args = IngestCommand.parse(List.of("--full-rebuild", "--alias", "kb-x", "kb-root/guides"), root);

    assertEquals(new IngestCommand.Args("guides", "kb-x", true), args);
    assertEquals("", IngestCommand.parse(List.of("kb-root"), root).source(), "the root itself");
    assertEquals("billing", IngestCommand.parse(List.of("billing"), root).source(), "already relative");
  }

  @Test
  void should_refuse_bad_arguments_with_the_usage() {
    for (List<String> bad : List.of(List.<String>of(), List.of("--alias"), List.of("--nope", "x"), List.of("a", "b"))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IngestCommand.parse(bad, root));
      assertTrue(e.getMessage().contains("usage"), e.getMessage());
    }
  }
}
