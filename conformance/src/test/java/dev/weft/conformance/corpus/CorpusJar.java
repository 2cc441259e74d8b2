package dev.weft.conformance.corpus;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

/**
 * One jar of the corpus: a short id (used in the list of known failures), the jar's file name on
 * the test class path, and whether CI checks it or only the long run ({@code bench/corpus.sh}).
 */
record CorpusJar(String id, String fileName, boolean inCi) {
  /** Every jar of the corpus; the versions are pinned in conformance/pom.xml. */
  static final List<CorpusJar> ALL =
      List.of(
          new CorpusJar("commons-lang3", "commons-lang3-3.17.0.jar", true),
          new CorpusJar("commons-lang3-tests", "commons-lang3-3.17.0-tests.jar", true),
          new CorpusJar("guava", "guava-33.4.8-jre.jar", true),
          new CorpusJar("jackson-databind", "jackson-databind-2.18.2.jar", true),
          new CorpusJar("kotlin-stdlib", "kotlin-stdlib-2.3.0.jar", true),
          new CorpusJar("scala-library", "scala-library-2.13.18.jar", true),
          new CorpusJar("groovy", "groovy-4.0.27.jar", false));

  /** The jar on the given class path. */
  Path locate(List<String> classPath) {
    for (String entry : classPath) {
      if (entry.endsWith(File.separator + fileName)) {
        return Path.of(entry);
      }
    }
    throw new IllegalStateException(fileName + " is not on the test class path: " + classPath);
  }
}
