package dev.weft.conformance.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every class of widely used jars, with every method made suspendable, is rewritten by the agent
 * and verified by the JVM: no rewrite failure beyond the checked-in {@link KnownFailures}, no
 * verify error, no other warning. CI checks the jars marked for it; {@code -Dweft.corpus=all}
 * (what {@code bench/corpus.sh} passes) checks all of them.
 */
class CorpusTest {
  static Stream<CorpusJar> jars() {
    return CorpusJar.ALL.stream().filter(j -> fullMode() || j.inCi());
  }

  /** The long run of {@code bench/corpus.sh}: every jar, and each also loaded without the agent. */
  private static boolean fullMode() {
    return "all".equals(System.getProperty("weft.corpus"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jars")
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void everyMethodRewritesAndVerifies(CorpusJar jar) throws Exception {
    Path agent = Path.of(System.getProperty("weft.agent.jar"));
    Path work = Files.createDirectories(Path.of("target", "corpus", jar.id()));
    CorpusRun.Result r =
        CorpusRun.run(
            jar.locate(TestClassPath.entries()), TestClassPath.forChild(), agent, work, fullMode());
    String row = row(jar, r);
    System.out.println(row);
    Files.writeString(work.resolve("row.md"), row + "\n");

    List<String> problems = new ArrayList<>();
    if (r.exitCode() != 0 || r.classes() < 0) {
      problems.add("the child JVM failed (exit " + r.exitCode() + "):\n" + r.stderrTail());
    }
    for (String v : r.verifyErrors()) {
      problems.add("verify error: " + v);
    }
    for (String u : r.unloadable()) {
      problems.add("cannot load or link (not a missing dependency): " + u);
    }
    for (String w : r.otherWarnings()) {
      problems.add("agent warning: " + w);
    }
    Set<String> known = KnownFailures.load().forJar(jar.id());
    Set<String> fresh = new TreeSet<>(r.rewriteFailures());
    fresh.removeAll(known);
    for (String f : fresh) {
      problems.add("new rewrite failure " + jar.id() + " " + f + ": " + lineFor(r, f));
    }
    Set<String> gone = new TreeSet<>(known);
    gone.removeAll(r.rewriteFailures());
    for (String g : gone) {
      problems.add(
          "listed in " + KnownFailures.RESOURCE + " but no longer fails, remove the line: "
              + jar.id() + " " + g);
    }
    if (!problems.isEmpty()) {
      fail(jar.id() + ": " + problems.size() + " problem(s)\n" + String.join("\n", problems));
    }
    assertEquals(r.classes(), r.loaded() + r.missingAtLoad(), "classes neither loaded nor explained");
  }

  private static String lineFor(CorpusRun.Result r, String failure) {
    String cls = failure.substring(0, failure.indexOf('#'));
    for (String line : r.rewriteFailureLines()) {
      if (line.contains(" " + cls + " ")) {
        return line.length() > 600 ? line.substring(0, 600) + "..." : line;
      }
    }
    return "?";
  }

  private static String row(CorpusJar jar, CorpusRun.Result r) {
    return String.format(
        Locale.ROOT,
        "| %s | %d | %d | %d | %d / %d | %s | %.1f | %.1f | %.1f | %d |",
        jar.fileName(),
        r.classes(),
        r.methods(),
        r.loaded(),
        r.missingDependency(),
        r.missingDependencyRewrites(),
        r.baselineLoadMillis() < 0
            ? "-"
            : String.format(Locale.ROOT, "%.1f", r.baselineLoadMillis() / 1000.0),
        r.loadMillis() / 1000.0,
        r.linkMillis() / 1000.0,
        r.wallMillis() / 1000.0,
        r.rewriteFailures().size());
  }

}
