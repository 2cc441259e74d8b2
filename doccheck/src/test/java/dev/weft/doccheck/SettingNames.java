package dev.weft.doccheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The names of settings, found by their shape: {@code weft.*} system properties (in Java as
 * string literals, in a pom as an element, an {@code -D} option or a {@code ${...}} reference), the
 * {@code GOMAXPROCS} environment variable, and agent arguments ({@code weft-agent.jar=verbose}).
 * Each name maps to where it was first seen ({@code page:line}).
 */
final class SettingNames {
  private static final Pattern JAVA_LITERAL = Pattern.compile("\"(weft\\.[A-Za-z][\\w.]*[\\w]|GOMAXPROCS)\"");
  private static final Pattern POM =
      Pattern.compile("(?:<|-D|\\$\\{)(weft\\.[A-Za-z][\\w.]*\\w)");
  /** In prose: not a part of a longer name such as {@code dev.weft.Channel} or a path. */
  private static final Pattern PAGE =
      Pattern.compile("(?:(?<=-D)|(?<![\\w.$/-]))(weft\\.[A-Za-z][\\w.]*[A-Za-z0-9]|GOMAXPROCS)(?![\\w-])");
  private static final Pattern AGENT_ARGUMENTS = Pattern.compile("weft-agent\\.jar=([\\w,]+)");

  private SettingNames() {}

  /** The property names in the string literals of the Java sources under {@code roots}. */
  static Map<String, String> inJava(Path base, List<Path> roots) {
    Map<String, String> names = new TreeMap<>();
    for (Path root : roots) {
      for (Path file : files(root, ".java")) {
        scan(base, file, JAVA_LITERAL, names);
      }
    }
    return names;
  }

  /** The property names a build file sets or uses. */
  static Map<String, String> inPom(Path base, Path pom) {
    Map<String, String> names = new TreeMap<>();
    if (Files.isRegularFile(pom)) {
      scan(base, pom, POM, names);
    }
    return names;
  }

  /** The property names a page mentions. */
  static Map<String, String> inPage(Path base, Path page) {
    Map<String, String> names = new TreeMap<>();
    scan(base, page, PAGE, names);
    return names;
  }

  /** The agent arguments a page shows after {@code weft-agent.jar=}. */
  static Map<String, String> agentArgumentsInPage(Path base, Path page) {
    Map<String, String> names = new TreeMap<>();
    List<String> lines = lines(page);
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = AGENT_ARGUMENTS.matcher(lines.get(i));
      while (m.find()) {
        for (String a : m.group(1).split(",")) {
          if (!a.isEmpty()) {
            names.putIfAbsent(a, where(base, page, i));
          }
        }
      }
    }
    return names;
  }

  private static void scan(Path base, Path file, Pattern p, Map<String, String> names) {
    List<String> lines = lines(file);
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = p.matcher(lines.get(i));
      while (m.find()) {
        names.putIfAbsent(m.group(1), where(base, file, i));
      }
    }
  }

  static String where(Path base, Path file, int index) {
    return base.relativize(file).toString().replace('\\', '/') + ":" + (index + 1);
  }

  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> files(Path root, String suffix) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      List<Path> found = new ArrayList<>();
      s.filter(f -> f.toString().endsWith(suffix)).sorted().forEach(found::add);
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
