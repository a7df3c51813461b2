package dev.supportagent.evaluation.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's peak memory over a phase. Heap: the sum of the heap pools' peak usage since the
 * phase started (an upper bound of the heap in use at any one moment: pools peak at different
 * times, and the young generation's peak is mostly its own size). RSS: the kernel's high-water
 * mark ({@code VmHWM}), reset by writing 5 to {@code /proc/self/clear_refs} where the kernel
 * allows it; where it does not, the mark is the peak since the process started.
 */
final class PeakMemory {

  static final Path STATUS = Path.of("/proc/self/status");
  static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
  /** RSS may grow this much between the reset and the check without the reset being doubted. */
  private static final long RESET_SLACK_KB = 16 * 1024;

  /** Why the RSS high-water mark could not be reset, or null while every reset worked. */
  private String rssResetFailure;

  /** Starts a phase: collects garbage, then resets the heap pools' peaks and the RSS mark. */
  void start() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
        pool.resetPeakUsage();
      }
    }
    try {
      Files.writeString(CLEAR_REFS, "5");
      String status = Files.readString(STATUS);
      long hwm = statusKb(status, "VmHWM");
      long rss = statusKb(status, "VmRSS");
      if (hwm < 0 || hwm > rss + RESET_SLACK_KB) {
        rssResetFailure = "VmHWM stayed at " + hwm + " kB after writing 5 to " + CLEAR_REFS + " (VmRSS " + rss + " kB)";
      }
    } catch (IOException | SecurityException e) {
      rssResetFailure = "cannot write " + CLEAR_REFS + ": " + e;
    }
  }

  double heapPeakMb() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes / (1024.0 * 1024.0);
  }

  /** VmHWM in MiB, or -1 where {@code /proc} cannot be read. */
  double rssPeakMb() {
    try {
      long kb = statusKb(Files.readString(STATUS), "VmHWM");
      return kb < 0 ? -1 : kb / 1024.0;
    } catch (IOException e) {
      return -1;
    }
  }

  /** Null while every reset of the RSS mark worked, else why one did not. */
  String rssResetFailure() {
    return rssResetFailure;
  }

  /** A {@code Name:   123 kB} field of {@code /proc/PID/status} in kB, or -1 when it is absent. */
  static long statusKb(String status, String field) {
    for (String line : status.split("\n")) {
      if (line.startsWith(field + ":")) {
        String value = line.substring(field.length() + 1).strip();
        int space = value.indexOf(' ');
        try {
          return Long.parseLong(space < 0 ? value : value.substring(0, space));
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }
}
