package dev.supportagent.evaluation.dataset;

import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The corpora a suite runs on, from repeated {@code --corpus DIR --questions FILE} pairs in
 * order: each is reported on its own, under a name taken from its folder (the parent's name for a
 * folder called {@code corpus}, as in {@code doc2dial-dev/corpus}), followed by {@code ~} and the
 * question file's name where one folder comes with several question files, and the suites give
 * their mean.
 */
public final class Corpora {

  /** One corpus and its questions. */
  public record Corpus(String name, Path folder, Path questions) {}

  private Corpora() {}

  /** The pairs given, at least one; a usage error when they do not pair up or a folder is missing. */
  public static List<Corpus> parse(Options options, String suite) {
    List<String> folders = options.all("--corpus");
    List<String> files = options.all("--questions");
    if (folders.isEmpty() || files.isEmpty()) {
      throw new UsageException(suite + " needs --corpus DIR and --questions FILE");
    }
    if (folders.size() != files.size()) {
      throw new UsageException(
          suite + " takes --corpus DIR --questions FILE in pairs: " + folders.size() + " corpora, "
              + files.size() + " question files");
    }
    List<Path> paths = new ArrayList<>();
    for (String folder : folders) {
      Path path = Path.of(folder);
      if (!Files.isDirectory(path)) {
        throw new UsageException("corpus folder not found: " + path);
      }
      paths.add(path);
    }
    List<Corpus> corpora = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < paths.size(); i++) {
      String name = name(paths.get(i));
      String folderName = name;
      if (paths.stream().filter(p -> name(p).equals(folderName)).count() > 1) {
        name += "~" + Path.of(files.get(i)).getFileName().toString().replaceAll("\\.jsonl?$", "");
      }
      String unique = name;
      for (int n = 2; !names.add(unique); n++) {
        unique = name + "~" + n;
      }
      corpora.add(new Corpus(unique, paths.get(i), Path.of(files.get(i))));
    }
    return corpora;
  }

  static String name(Path folder) {
    Path absolute = folder.toAbsolutePath().normalize();
    Path last = absolute.getFileName();
    if (last == null) {
      return "corpus";
    }
    if (last.toString().equals("corpus") && absolute.getParent() != null && absolute.getParent().getFileName() != null) {
      return absolute.getParent().getFileName().toString();
    }
    return last.toString();
  }
}
