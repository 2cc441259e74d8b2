package dev.weft.conformance.corpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checked-in list of rewrite failures that are real and understood, one a line: {@code
 * jar-id class#method reason}. The corpus test fails on a failure missing from it and on an entry
 * that no longer fails, so the list can only shrink.
 */
final class KnownFailures {
  static final String RESOURCE = "known-rewrite-failures.txt";

  /** "jar-id class#method" to the reason written beside it. */
  private final Map<String, String> entries = new LinkedHashMap<>();

  static KnownFailures load() throws IOException {
    KnownFailures known = new KnownFailures();
    try (InputStream in = KnownFailures.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the test resources");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        String[] parts = t.split("\\s+", 3);
        if (parts.length < 3) {
          throw new IllegalStateException(RESOURCE + ": '" + t + "' has no reason");
        }
        known.entries.put(parts[0] + " " + parts[1], parts[2]);
      }
    }
    return known;
  }

  /** The entries for one jar, as "class#method". */
  java.util.Set<String> forJar(String jarId) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (String key : entries.keySet()) {
      if (key.startsWith(jarId + " ")) {
        out.add(key.substring(jarId.length() + 1));
      }
    }
    return out;
  }
}
