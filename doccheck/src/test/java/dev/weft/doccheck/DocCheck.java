package dev.weft.doccheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks a checkout's pages ({@code README.md} and {@code docs/*.md}) against its code. Each
 * problem is one string that starts with the page and line to fix.
 *
 * <p>Java blocks, by the words after {@code java} on the fence (docs/testing.md, "Docs are
 * tested"): none, whole compilation units, compiled, and run under the agent when one has a
 * {@code main}; {@code no-run}, compiled only (a server); {@code fragment}, statements or members
 * compiled inside a generated class; {@code illustration}, not compiled.
 */
final class DocCheck {
  static final Set<String> MARKERS = Set.of("fragment", "illustration", "no-run");
  /** The modules that ship: every setting their code reads is a user's setting. */
  static final List<String> SHIPPED = List.of("agent", "runtime", "junit", "maven-plugin");

  private final Path root;
  private final Set<String> agentArguments;
  private final BlockCompiler compiler;
  private final ProgramRun runner;
  private final Path work;

  /**
   * @param agentArguments the arguments the agent accepts
   * @param work where the blocks' classes are written
   */
  DocCheck(Path root, Set<String> agentArguments, BlockCompiler compiler, ProgramRun runner, Path work) {
    this.root = root;
    this.agentArguments = agentArguments;
    this.compiler = compiler;
    this.runner = runner;
    this.work = work;
  }

  List<Path> pages() {
    List<Path> pages = new ArrayList<>();
    if (Files.isRegularFile(root.resolve("README.md"))) {
      pages.add(root.resolve("README.md"));
    }
    for (Path p : SettingNames.files(root.resolve("docs"), ".md")) {
      if (p.getParent().equals(root.resolve("docs"))) {
        pages.add(p);
      }
    }
    return pages;
  }

  /** Every Java block that does not compile or whose program fails. */
  List<String> blocks() {
    List<String> problems = new ArrayList<>();
    for (Path page : pages()) {
      String name = root.relativize(page).toString().replace('\\', '/');
      for (CodeBlock b : FencedBlocks.of(name, read(page))) {
        if (b.language().equals("java")) {
          problems.addAll(check(b));
        }
      }
    }
    return problems;
  }

  private List<String> check(CodeBlock b) {
    for (String m : b.markers()) {
      if (!MARKERS.contains(m)) {
        return List.of(
            b.page() + ":" + (b.firstLine() - 1) + ": unknown marker `" + m
                + "` after ```java (use fragment, illustration or no-run)");
      }
    }
    if (b.markers().contains("illustration")) {
      return List.of();
    }
    Path out = work.resolve(b.page().replace('/', '_') + "-" + b.firstLine());
    if (b.markers().contains("fragment")) {
      List<SourceUnit> asStatements = List.of(SourceUnit.statements(b));
      List<SourceUnit> units =
          compiler.parses(asStatements) ? asStatements : List.of(SourceUnit.members(b));
      return compiler.compile(b, units, out);
    }
    List<SourceUnit> units = SourceUnit.units(b);
    List<String> errors = compiler.compile(b, units, out);
    if (!errors.isEmpty() || b.markers().contains("no-run")) {
      return errors;
    }
    List<String> problems = new ArrayList<>();
    for (SourceUnit u : units) {
      if (u.mainClass() != null) {
        String failure = runner.run(out, u.mainClass());
        if (failure != null) {
          problems.add(b.page() + ":" + b.firstLine() + ": " + failure);
        }
      }
    }
    return problems;
  }

  /** Every figure that does not say which command made it, or names a script that is not there. */
  List<String> figures() {
    List<String> problems = new ArrayList<>();
    for (Path page : pages()) {
      problems.addAll(GeneratedFigures.check(root, page));
    }
    return problems;
  }

  /**
   * Every setting a page names that the code does not know, and every setting the shipped code
   * reads (or the agent accepts) that {@code docs/configuration.md} does not document.
   */
  List<String> settings() {
    Map<String, String> read = new TreeMap<>();
    Map<String, String> known = new TreeMap<>();
    for (String module : SHIPPED) {
      read.putAll(SettingNames.inJava(root, List.of(root.resolve(module).resolve("src/main/java"))));
    }
    known.putAll(read);
    known.putAll(SettingNames.inPom(root, root.resolve("pom.xml")));
    for (Path module : modules()) {
      known.putAll(SettingNames.inJava(root, List.of(module.resolve("src/main/java"), module.resolve("src/test/java"))));
      known.putAll(SettingNames.inPom(root, module.resolve("pom.xml")));
    }
    List<String> problems = new ArrayList<>();
    for (Path page : pages()) {
      SettingNames.inPage(root, page).forEach((name, where) -> {
        if (!known.containsKey(name)) {
          problems.add(where + ": " + name + " is named here but no code or build file reads or sets it");
        }
      });
      SettingNames.agentArgumentsInPage(root, page).forEach((name, where) -> {
        if (!agentArguments.contains(name)) {
          problems.add(where + ": the agent has no argument `" + name + "` (it has " + agentArguments + ")");
        }
      });
    }
    Path configuration = root.resolve("docs/configuration.md");
    Map<String, String> documented =
        Files.isRegularFile(configuration) ? ConfigurationPage.documented(root, configuration) : Map.of();
    read.forEach((name, where) -> {
      if (!documented.containsKey(name)) {
        problems.add(where + ": " + name + " is read here but docs/configuration.md has no row for it");
      }
    });
    for (String a : agentArguments) {
      if (!documented.containsKey(a)) {
        problems.add("docs/configuration.md: the agent argument `" + a + "` has no row");
      }
    }
    documented.forEach((name, where) -> {
      if (!read.containsKey(name) && !agentArguments.contains(name)) {
        problems.add(where + ": " + name + " is documented but the shipped code does not read it");
      }
    });
    return problems;
  }

  private List<Path> modules() {
    List<Path> modules = new ArrayList<>();
    try (var s = Files.list(root)) {
      s.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).sorted().forEach(modules::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return modules;
  }

  private static String read(Path page) {
    try {
      return Files.readString(page);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
