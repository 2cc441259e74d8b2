package dev.weft.samples;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The command-line options of one sample: {@code --name value}, {@code --name=value} and bare
 * {@code --flag}s, checked against what the sample declared.
 *
 * <pre>{@code
 * Options o = new Options("usage: PingPong [--seconds S]").value("seconds").parse(args);
 * double seconds = o.decimal("seconds", 3, 0.01);
 * }</pre>
 *
 * <p>Anything the sample did not declare, a missing value or a value out of range is a {@link
 * UsageException} whose message names the option, so the sample can print it with its usage line
 * and exit non-zero.
 */
public final class Options {
  private final String usage;
  private final Set<String> valued = new LinkedHashSet<>();
  private final Set<String> flags = new LinkedHashSet<>();
  private final Map<String, String> given = new HashMap<>();

  /**
   * Starts the declaration of a sample's options.
   *
   * @param usage the usage line printed on bad input, e.g. {@code "usage: Pipeline [--stages N]"}
   */
  public Options(String usage) {
    this.usage = usage;
  }

  /** Declares an option that takes a value. */
  public Options value(String name) {
    valued.add(name);
    return this;
  }

  /** Declares an option that takes no value. */
  public Options flag(String name) {
    flags.add(name);
    return this;
  }

  /** The usage line. */
  public String usage() {
    return usage;
  }

  /**
   * Reads the arguments.
   *
   * @throws UsageException on an undeclared option, a missing value or a stray argument
   */
  public Options parse(String... args) throws UsageException {
    given.clear();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h") || arg.equals("--help")) {
        throw new UsageException(null);
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (flags.contains(name)) {
        if (value != null) {
          throw new UsageException("--" + name + " takes no value");
        }
        given.put(name, "");
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 == args.length) {
            throw new UsageException("--" + name + " needs a value");
          }
          value = args[++i];
        }
        given.put(name, value);
      } else {
        throw new UsageException("unknown option --" + name);
      }
    }
    return this;
  }

  /** Whether the flag or option was given. */
  public boolean has(String name) {
    return given.containsKey(name);
  }

  /** The raw value of an option, or the default when it was not given. */
  public String text(String name, String dflt) {
    return given.getOrDefault(name, dflt);
  }

  /**
   * An integer option, or {@code dflt} when it was not given; underscores and commas are accepted
   * as digit separators ({@code 1_000_000}).
   *
   * @throws UsageException when the value is not an integer or is below {@code min}
   */
  public int integer(String name, int dflt, int min) throws UsageException {
    long v = longInteger(name, dflt, min);
    if (v > Integer.MAX_VALUE) {
      throw new UsageException("--" + name + " must be at most " + Integer.MAX_VALUE);
    }
    return (int) v;
  }

  /**
   * A long integer option, or {@code dflt} when it was not given.
   *
   * @throws UsageException when the value is not an integer or is below {@code min}
   */
  public long longInteger(String name, long dflt, long min) throws UsageException {
    String s = given.get(name);
    if (s == null) {
      return dflt;
    }
    long v;
    try {
      v = Long.parseLong(s.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " needs a whole number, not '" + s + "'");
    }
    if (v < min) {
      throw new UsageException(
          "--"
              + name
              + " must be at least "
              + String.format(Locale.ROOT, "%,d", min)
              + ", not "
              + v);
    }
    return v;
  }

  /**
   * A decimal option, such as a number of seconds, or {@code dflt} when it was not given.
   *
   * @throws UsageException when the value is not a finite number or is below {@code min}
   */
  public double decimal(String name, double dflt, double min) throws UsageException {
    String s = given.get(name);
    if (s == null) {
      return dflt;
    }
    double v;
    try {
      v = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " needs a number, not '" + s + "'");
    }
    if (!Double.isFinite(v) || v < min) {
      throw new UsageException("--" + name + " must be at least " + min + ", not " + s);
    }
    return v;
  }
}
