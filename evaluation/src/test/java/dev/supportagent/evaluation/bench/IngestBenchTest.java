package dev.supportagent.evaluation.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.supportagent.evaluation.EvalMain;
import dev.supportagent.evaluation.EvalMain.UsageException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestBenchTest {

  @Test
  void should_exit_with_2_when_a_flag_is_bad() {
    assertEquals(2, EvalMain.run(new String[] {"bench", "ingest", "--sizes", "1000,ten"}, Map.of()));
    assertEquals(2, EvalMain.run(new String[] {"bench", "ingest", "--embed-limit", "0"}, Map.of()));
    assertEquals(2, EvalMain.run(new String[] {"bench", "ingest", "--batch", "3"}, Map.of()));
    assertEquals(2, EvalMain.run(new String[] {"bench", "ingest", "--corpus", "/no/such/folder"}, Map.of()));
  }

  @Test
  void should_reject_sizes_out_of_range() {
    assertThrows(UsageException.class, () -> IngestBench.fromArgs(new String[] {"--sizes", "0,1000"}, Map.of()));
    assertThrows(UsageException.class, () -> IngestBench.fromArgs(new String[] {"--sizes", ""}, Map.of()));
  }

  @Test
  void should_read_the_kernel_high_water_mark() {
    String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmHWM:\t  218192 kB\nVmRSS:\t   13524 kB\n";

    assertEquals(218192, PeakMemory.statusKb(status, "VmHWM"));
    assertEquals(13524, PeakMemory.statusKb(status, "VmRSS"));
    assertEquals(-1, PeakMemory.statusKb(status, "VmSwap"));
  }
}
