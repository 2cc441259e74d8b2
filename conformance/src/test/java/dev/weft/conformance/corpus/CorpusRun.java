package dev.weft.conformance.corpus;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Checks one jar of the corpus: writes a {@code META-INF/weft/suspendables} list naming every
 * method of every class in it, starts {@link CorpusLoad} in a child JVM under the shaded agent with
 * {@code -Dweft.verify=true} and that list on its class path, and reads back what the child and the
 * agent said.
 */
final class CorpusRun {
  private static final Pattern CANNOT_REWRITE =
      Pattern.compile("^\\[weft] warning: cannot rewrite (\\S+) \\((.*)$");
  private static final Pattern REWRITTEN_METHOD = Pattern.compile("the rewritten ([^(\\s]+)\\(");
  private static final Pattern TOO_LARGE = Pattern.compile("Method too large: \\S+\\.([^.\\s]+) ");
  private static final Pattern NOT_PRESENT =
      Pattern.compile(
          "ClassNotFoundException: (\\S+) not present\\)|cannot find the class file of (\\S+) to");

  /** What one child JVM found. */
  record Result(
      int classes,
      int methods,
      int loaded,
      long listMillis,
      long baselineLoadMillis,
      long loadMillis,
      long linkMillis,
      long wallMillis,
      Set<String> rewriteFailures,
      List<String> rewriteFailureLines,
      List<String> otherWarnings,
      List<String> verifyErrors,
      List<String> unloadable,
      int missingDependency,
      int missingAtLoad,
      int missingDependencyRewrites,
      int exitCode,
      String stderrTail) {}

  private CorpusRun() {}

  /**
   * Checks one jar. With {@code baseline}, first loads it in a child JVM without the agent, so that
   * the rewrite's share of the load time can be told apart.
   */
  static Result run(
      Path jar, List<String> childClassPath, Path agentJar, Path work, boolean baseline)
      throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Path listDir = work.resolve("list");
    Path list = listDir.resolve("META-INF/weft/suspendables");
    Files.createDirectories(list.getParent());
    int[] counts = writeList(jar, list);
    long listMillis = (System.nanoTime() - t0) / 1_000_000;

    List<String> cp = new ArrayList<>();
    cp.add(listDir.toString());
    cp.addAll(childClassPath);
    long baselineLoad = -1;
    if (baseline) {
      Path out = work.resolve("baseline-stdout.txt");
      child(List.of(), cp, jar, out, work.resolve("baseline-stderr.txt"));
      baselineLoad = loadMillis(Files.readAllLines(out));
    }
    Path out = work.resolve("stdout.txt");
    Path err = work.resolve("stderr.txt");
    long t1 = System.nanoTime();
    int exit = child(List.of("-javaagent:" + agentJar, "-Dweft.verify=true"), cp, jar, out, err);
    long wall = (System.nanoTime() - t1) / 1_000_000;
    return parse(
        counts, listMillis, baselineLoad, wall, exit, Files.readAllLines(out), Files.readAllLines(err));
  }

  /** Runs {@link CorpusLoad} on the jar in a child JVM; returns its exit code. */
  private static int child(List<String> options, List<String> cp, Path jar, Path out, Path err)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.addAll(List.of("-Xss4m", "-XX:TieredStopAtLevel=1", "-cp", String.join(File.pathSeparator, cp)));
    command.add(CorpusLoad.class.getName());
    command.add(jar.toString());
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("the corpus child for " + jar + " did not finish");
    }
    return p.exitValue();
  }

  private static long loadMillis(List<String> out) {
    for (String line : out) {
      if (line.startsWith("LOAD_MS ")) {
        return Long.parseLong(line.substring("LOAD_MS ".length()));
      }
    }
    return -1;
  }

  private static Result parse(
      int[] counts,
      long listMillis,
      long baselineLoad,
      long wall,
      int exit,
      List<String> out,
      List<String> err) {
    int classes = -1;
    int loaded = -1;
    long load = -1;
    long link = -1;
    int missing = 0;
    int missingAtLoad = 0;
    List<String> verify = new ArrayList<>();
    List<String> unloadable = new ArrayList<>();
    for (String line : out) {
      String[] f = line.split(" ", 2);
      switch (f[0]) {
        case "CLASSES" -> classes = Integer.parseInt(f[1]);
        case "LOADED" -> loaded = Integer.parseInt(f[1]);
        case "LOAD_MS" -> load = Long.parseLong(f[1]);
        case "LINK_MS" -> link = Long.parseLong(f[1]);
        case "VERIFY" -> verify.add(f[1]);
        case "UNLOADABLE", "UNLINKABLE" -> unloadable.add(line);
        case "MISSING_DEP" -> {
          missing++;
          missingAtLoad++;
        }
        case "MISSING_DEP_LINK" -> missing++;
        default -> {}
      }
    }
    int missingRewrite = 0;
    Set<String> failures = new TreeSet<>();
    List<String> failureLines = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (String line : err) {
      if (!line.startsWith("[weft] warning:")) {
        continue;
      }
      Matcher m = CANNOT_REWRITE.matcher(line);
      if (m.find() && needsAbsentClass(m.group(2))) {
        missingRewrite++;
      } else if (m.find(0)) {
        failures.add(m.group(1) + "#" + methodOf(m.group(2)));
        failureLines.add(line);
      } else {
        other.add(line);
      }
    }
    String tail = String.join("\n", err.subList(Math.max(0, err.size() - 40), err.size()));
    return new Result(
        classes, counts[1], loaded, listMillis, baselineLoad, load, link, wall, failures, failureLines, other,
        verify, unloadable, missing, missingAtLoad, missingRewrite, exit, tail);
  }

  /**
   * Whether a rewrite failed only because the analysis needs a class that is on no class path (an
   * optional dependency of the jar that the corpus does not supply): such a class cannot run
   * either, rewritten or not.
   */
  private static boolean needsAbsentClass(String reason) {
    Matcher m = NOT_PRESENT.matcher(reason);
    if (!m.find()) {
      return false;
    }
    String absent = m.group(1) != null ? m.group(1) : m.group(2);
    return CorpusRun.class.getClassLoader().getResource(absent.replace('.', '/') + ".class") == null;
  }

  /** The method a rewrite failure names, or "*" when the reason names none. */
  static String methodOf(String reason) {
    Matcher m = REWRITTEN_METHOD.matcher(reason);
    if (m.find()) {
      return m.group(1);
    }
    m = TOO_LARGE.matcher(reason);
    if (m.find()) {
      return m.group(1);
    }
    return "*";
  }

  /**
   * Writes one {@code class#method} line per method name of every class in the jar (every
   * overload); returns the number of classes and of methods with code, the ones the agent
   * rewrites.
   */
  static int[] writeList(Path jar, Path list) throws IOException {
    Set<String> lines = new TreeSet<>();
    int[] counts = new int[2];
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry e : java.util.Collections.list(file.entries())) {
        String n = e.getName();
        if (!n.endsWith(".class") || n.startsWith("META-INF/") || n.endsWith("module-info.class")) {
          continue;
        }
        counts[0]++;
        try (InputStream in = file.getInputStream(e)) {
          new ClassReader(in.readAllBytes())
              .accept(
                  new ClassVisitor(Opcodes.ASM9) {
                    private String owner;

                    @Override
                    public void visit(int v, int a, String name, String s, String sup, String[] i) {
                      owner = name.replace('/', '.');
                    }

                    @Override
                    public MethodVisitor visitMethod(
                        int access, String name, String desc, String sig, String[] exceptions) {
                      if (!name.equals("<init>") && !name.equals("<clinit>")) {
                        lines.add(owner + "#" + name);
                        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0) {
                          counts[1]++;
                        }
                      }
                      return null;
                    }
                  },
                  ClassReader.SKIP_CODE);
        } catch (RuntimeException bad) {
          throw new UncheckedIOException(new IOException(n + " of " + jar + " is corrupt", bad));
        }
      }
    }
    Files.write(list, lines, StandardCharsets.UTF_8);
    return counts;
  }
}
