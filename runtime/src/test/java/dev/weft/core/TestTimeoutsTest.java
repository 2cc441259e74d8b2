package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** The suite-wide default timeout is in force: no runtime test can hang the build. */
@ExtendWith(TestTimeoutsTest.Context.class)
class TestTimeoutsTest {
  @Test
  void everyTestHasADefaultTimeoutRunInASeparateThread(ExtensionContext context) {
    assertEquals(
        Optional.of("5 m"), context.getConfigurationParameter("junit.jupiter.execution.timeout.default"));
    assertEquals(
        Optional.of("SEPARATE_THREAD"),
        context.getConfigurationParameter("junit.jupiter.execution.timeout.thread.mode.default"));
  }

  /** Hands the test its extension context. */
  static final class Context implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
      return p.getParameter().getType() == ExtensionContext.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
      return e;
    }
  }
}
