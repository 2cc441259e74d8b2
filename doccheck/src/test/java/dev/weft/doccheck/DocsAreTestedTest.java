package dev.weft.doccheck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** README.md and docs/*.md, as they are: every Java block compiles and runs, every setting is true. */
class DocsAreTestedTest {

  @Test
  @Timeout(600)
  void everyJavaBlockCompilesAndEveryProgramRuns(@TempDir Path work) {
    DocCheck check = TestSetup.check(TestSetup.root(), work);
    assertTrue(check.pages().size() > 5, "no pages found under " + TestSetup.root());
    List<String> problems = check.blocks();
    assertTrue(problems.isEmpty(), () -> problems.size() + " problems:\n" + String.join("\n", problems));
  }

  @Test
  @Timeout(60)
  void everyFigureSaysWhichCommandMadeIt(@TempDir Path work) {
    List<String> problems = TestSetup.check(TestSetup.root(), work).figures();
    assertTrue(problems.isEmpty(), () -> problems.size() + " problems:\n" + String.join("\n", problems));
  }

  @Test
  @Timeout(60)
  void everySettingNamedExistsAndEverySettingReadIsDocumented(@TempDir Path work) {
    List<String> problems = TestSetup.check(TestSetup.root(), work).settings();
    assertTrue(problems.isEmpty(), () -> problems.size() + " problems:\n" + String.join("\n", problems));
  }
}
