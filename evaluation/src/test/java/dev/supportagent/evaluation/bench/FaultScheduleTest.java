package dev.supportagent.evaluation.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.evaluation.bench.FaultSchedule.Fault;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

  static List<Fault> draw(FaultSchedule schedule, int n) {
    List<Fault> faults = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      faults.add(schedule.next());
    }
    return faults;
  }

  static Map<Fault, Integer> count(List<Fault> faults) {
    Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
    faults.forEach(f -> counts.merge(f, 1, Integer::sum));
    return counts;
  }

  @Test
  void should_fail_the_same_requests_when_the_seed_is_the_same() {
    assertEquals(draw(new FaultSchedule(0.5, 7), 200), draw(new FaultSchedule(0.5, 7), 200));
    assertNotEquals(draw(new FaultSchedule(0.5, 7), 200), draw(new FaultSchedule(0.5, 8), 200));
  }

  @Test
  void should_fail_about_the_given_share_split_between_500s_and_broken_streams() {
    Map<Fault, Integer> counts = count(draw(new FaultSchedule(0.5, 7), 10_000));

    int failed = counts.get(Fault.HTTP_500) + counts.get(Fault.BROKEN_STREAM);
    assertTrue(Math.abs(failed - 5_000) < 250, "failed " + failed + " of 10000");
    assertTrue(Math.abs(counts.get(Fault.HTTP_500) - counts.get(Fault.BROKEN_STREAM)) < 250, counts.toString());
  }

  @Test
  void should_fail_nothing_at_rate_0_and_everything_at_rate_1() {
    assertEquals(Map.of(Fault.NONE, 1000), count(draw(new FaultSchedule(0, 7), 1000)));
    assertEquals(Map.of(Fault.NONE, 1000), count(draw(FaultSchedule.NONE, 1000)));

    Map<Fault, Integer> all = count(draw(new FaultSchedule(1, 7), 1000));
    assertEquals(null, all.get(Fault.NONE));
    assertTrue(all.get(Fault.HTTP_500) > 0 && all.get(Fault.BROKEN_STREAM) > 0, all.toString());
  }

  @Test
  void should_reject_a_rate_outside_0_to_1() {
    assertThrows(IllegalArgumentException.class, () -> new FaultSchedule(-0.1, 7));
    assertThrows(IllegalArgumentException.class, () -> new FaultSchedule(1.5, 7));
    assertThrows(IllegalArgumentException.class, () -> new FaultSchedule(Double.NaN, 7));
  }
}
