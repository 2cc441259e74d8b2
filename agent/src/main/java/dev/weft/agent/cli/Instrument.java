package dev.weft.agent.cli;

import dev.weft.agent.WeftTransformer;
import dev.weft.agent.core.AgentLog;
import dev.weft.agent.core.BooleanProperty;
import dev.weft.agent.hierarchy.SuspendablesList;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Ahead-of-time instrumentation: rewrites the classes of a jar or directory into another, exactly
 * as the agent would rewrite them at load time, and copies every other file unchanged. The
 * command line ({@code java -jar weft-agent.jar instrument}) and build plugins call it.
 *
 * <pre>{@code
 * Instrument.Result r =
 *     new Instrument(Path.of("target/classes"), Path.of("target/classes"))
 *         .classPath(List.of(Path.of("weft-runtime.jar")))
 *         .run();
 * if (r.failed() > 0) { ... } // r.failures() name each class and why
 * }</pre>
 *
 * <p>A class that cannot be rewritten is written disarmed, as the agent would load it: a fiber
 * that suspends through it fails with an error naming it. A class already rewritten for the
 * current contract is copied unchanged, so running twice, or in place, is harmless.
 */
public final class Instrument {
  /** At most this many passes: each one after the first is for classes a method reference named. */
  private static final int MAX_PASSES = 4;

  private final Path in;
  private final Path out;
  private boolean all;
  private List<Path> classPath = List.of();
  private PrintStream log;
  private List<String> suspendables = List.of();

  /** Instruments {@code in} (a jar or directory) into {@code out} (a jar if named *.jar). */
  public Instrument(Path in, Path out) {
    this.in = in;
    this.out = out;
  }

  /** Treats every method of the input (constructors and initialisers aside) as suspendable. */
  public Instrument all(boolean all) {
    this.all = all;
    return this;
  }

  /**
   * More suspendable methods, as lines of a {@code META-INF/weft/suspendables} list ({@code
   * com.example.Foo#bar}, {@code com.example.Foo#bar(I)V}, {@code @com.example.Handler}, {@code #}
   * comments), beside the lists found in the input and on the class path. A bad line makes {@link
   * #run()} throw, naming it.
   */
  public Instrument suspendables(List<String> lines) {
    this.suspendables = List.copyOf(lines);
    return this;
  }

  /** Jars and directories the input's supertypes and suspendables lists are read from. */
  public Instrument classPath(List<Path> classPath) {
    this.classPath = List.copyOf(classPath);
    return this;
  }

  /** Where each failure is reported as it happens (by default nowhere: see the result). */
  public Instrument log(PrintStream log) {
    this.log = log;
    return this;
  }

  /**
   * What one run did: how many classes were rewritten (or disarmed), left unchanged and failed,
   * each failure as {@code class name: reason}, and how long it took.
   */
  public record Result(int rewritten, int unchanged, int failed, List<String> failures, long millis) {
    /** The command line's exit status: 0 when every class went well, 1 when any failed. */
    public int exitCode() {
      return failed == 0 ? 0 : 1;
    }

    /** One line for a build log. */
    public String summary() {
      return "weft instrument: " + rewritten + " rewritten, " + unchanged + " unchanged, " + failed
          + " failed in " + millis + " ms";
    }
  }

  /** Reads the input, rewrites its classes and writes the output. */
  public Result run() throws InstrumentException {
    long start = System.nanoTime();
    Map<String, byte[]> files = JarOrDirectory.read(in);
    Map<String, String> classNames = classNames(files);
    for (Path p : classPath) {
      if (!Files.exists(p)) {
        throw new InstrumentException(p + ": no such jar or directory on the class path");
      }
    }
    List<String> bad = new ArrayList<>();
    List<String> extra = SuspendablesList.entriesOf("suspendables", suspendables, bad::add);
    if (!bad.isEmpty()) {
      throw new InstrumentException(String.join("; ", bad));
    }
    Set<String> foreign = ConcurrentHashMap.newKeySet();
    boolean preempt;
    boolean verify;
    try {
      preempt = BooleanProperty.read("weft.preempt", true);
      verify = BooleanProperty.read("weft.verify", false);
      AgentLog.verbose |= BooleanProperty.read("weft.agent.verbose", false);
    } catch (IllegalArgumentException e) {
      throw new InstrumentException(e.getMessage());
    }
    WeftTransformer transformer = new WeftTransformer(preempt, verify, foreign::add);
    extra.forEach(transformer::addSuspendable);
    if (all) {
      for (Map.Entry<String, String> c : classNames.entrySet()) {
        everyMethod(c.getValue(), files.get(c.getKey()), transformer);
      }
    }
    Map<String, WeftTransformer.Outcome> outcomes;
    try (URLClassLoader loader = new URLClassLoader(urls(), ClassLoader.getPlatformClassLoader())) {
      outcomes = rewrite(files, classNames, transformer, loader);
      Set<String> seen = new HashSet<>();
      for (int pass = 1; pass < MAX_PASSES && newTargetsIn(foreign, seen, classNames); pass++) {
        outcomes = rewrite(files, classNames, transformer, loader); // with the targets suspendable
      }
    } catch (IOException e) {
      throw new InstrumentException("cannot close the class loader over the input: " + e, e);
    }
    Map<String, byte[]> written = new LinkedHashMap<>();
    int rewritten = 0;
    int unchanged = 0;
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      WeftTransformer.Outcome o = outcomes.get(f.getKey());
      byte[] bytes = o == null || o.bytes() == null ? f.getValue() : o.bytes();
      written.put(f.getKey(), bytes);
      if (o == null) {
        continue; // not a class
      }
      if (o.failure() != null) {
        String line = classNames.get(f.getKey()).replace('/', '.') + ": " + o.failure();
        failures.add(line);
        if (log != null) {
          log.println("weft instrument: cannot rewrite " + line
              + (o.bytes() != null ? "; written disarmed" : "; written unchanged"));
        }
      } else if (o.bytes() != null) {
        rewritten++;
      } else {
        unchanged++;
      }
    }
    boolean inPlace = in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize());
    JarOrDirectory.write(out, written, inPlace);
    long millis = (System.nanoTime() - start) / 1_000_000;
    return new Result(rewritten, unchanged, failures.size(), List.copyOf(failures), millis);
  }

  /** Each class file's internal class name, checked to be a class file at all. */
  private Map<String, String> classNames(Map<String, byte[]> files) throws InstrumentException {
    Map<String, String> names = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      String path = f.getKey();
      if (!path.endsWith(".class") || path.endsWith("module-info.class")) {
        continue;
      }
      String name;
      try {
        name = new ClassReader(f.getValue()).getClassName();
      } catch (RuntimeException e) {
        throw new InstrumentException(in + ": " + path + " is not a valid class file (" + e + ")", e);
      }
      names.put(path, name);
    }
    return names;
  }

  private Map<String, WeftTransformer.Outcome> rewrite(
      Map<String, byte[]> files,
      Map<String, String> classNames,
      WeftTransformer transformer,
      ClassLoader loader) {
    Map<String, WeftTransformer.Outcome> outcomes = new LinkedHashMap<>();
    for (Map.Entry<String, String> c : classNames.entrySet()) {
      String name = c.getValue();
      outcomes.put(
          c.getKey(),
          WeftTransformer.isExcluded(name)
              ? new WeftTransformer.Outcome(null, null)
              : transformer.rewrite(loader, name, files.get(c.getKey())));
    }
    return outcomes;
  }

  /**
   * Whether a method reference made a method of a class of the input suspendable that the last
   * pass had not known of: that class, and its callers, must be rewritten again.
   */
  private static boolean newTargetsIn(Set<String> foreign, Set<String> seen, Map<String, String> classNames) {
    boolean any = false;
    for (String target : foreign) {
      if (seen.add(target) && classNames.containsValue(target)) {
        any = true;
      }
    }
    return any;
  }

  private static void everyMethod(String owner, byte[] bytes, WeftTransformer transformer) {
    new ClassReader(bytes).accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String sig, String[] exceptions) {
            if (!name.startsWith("<")) {
              transformer.addSuspendable(owner + "#" + name + desc);
            }
            return null;
          }
        },
        ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
  }

  private URL[] urls() throws InstrumentException {
    List<URL> urls = new ArrayList<>();
    try {
      urls.add(in.toUri().toURL());
      for (Path p : classPath) {
        urls.add(p.toUri().toURL());
      }
    } catch (MalformedURLException e) {
      throw new InstrumentException("cannot name a class path entry as a URL: " + e, e);
    }
    return urls.toArray(new URL[0]);
  }

  /** Splits a class path in the platform's form ({@code a.jar:b/classes} on Unix). */
  public static List<Path> parseClassPath(String classPath) {
    List<Path> paths = new ArrayList<>();
    for (String p : classPath.split(File.pathSeparator)) {
      if (!p.isEmpty()) {
        paths.add(Path.of(p));
      }
    }
    return paths;
  }
}
