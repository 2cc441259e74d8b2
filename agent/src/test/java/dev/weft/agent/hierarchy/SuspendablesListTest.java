package dev.weft.agent.hierarchy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.agent.CapturedErr;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SuspendablesListTest {
  static SuspendablesList parse(String text) throws IOException {
    SuspendablesList list = new SuspendablesList();
    list.parse("test", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    return list;
  }

  @Test
  void namesEveryOverloadOrOne() throws IOException {
    SuspendablesList list =
        parse("# a comment\ncom.example.Foo#bar\n\n  com.example.Baz#qux(Ljava/lang/String;)V  # why\n");
    assertTrue(list.names("com/example/Foo", "bar", "()V"));
    assertTrue(list.names("com/example/Foo", "bar", "(I)J"));
    assertTrue(list.names("com/example/Baz", "qux", "(Ljava/lang/String;)V"));
    assertFalse(list.names("com/example/Baz", "qux", "()V"));
    assertFalse(list.names("com/example/Foo", "other", "()V"));
    assertTrue(list.namesOwner("com/example/Baz"));
  }

  @Test
  void badLineIsWarnedAboutAndSkipped() {
    String err =
        CapturedErr.of(
            () -> {
              try {
                SuspendablesList list = parse("not-a-method\ncom.example.Ok#fine\n");
                assertTrue(list.names("com/example/Ok", "fine", "()V"));
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            });
    assertTrue(err.contains("test:1"), err);
    assertTrue(err.contains("not a method"), err);
  }

  @Test
  void annotationLinesNameAnnotationsByDescriptor() throws IOException {
    SuspendablesList list = parse("@org.junit.jupiter.api.Test\n@ com.example.Outer$Handler # why\n");
    assertTrue(list.namesAnnotations());
    assertTrue(list.namesAnnotation("Lorg/junit/jupiter/api/Test;"));
    assertTrue(list.namesAnnotation("Lcom/example/Outer$Handler;"));
    assertFalse(list.namesAnnotation("Lorg/junit/jupiter/api/Disabled;"));
    assertFalse(list.namesOwner("org/junit/jupiter/api/Test"), "an annotation is not a method owner");
    assertFalse(parse("com.example.Foo#bar\n").namesAnnotations());
  }

  @Test
  void aBadAnnotationLineIsWarnedAboutAndSkipped() {
    String err =
        CapturedErr.of(
            () -> {
              try {
                assertFalse(parse("@\n@com.example.Foo#bar\n").namesAnnotations());
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            });
    assertTrue(err.contains("test:1") && err.contains("test:2"), err);
    assertTrue(err.contains("not an annotation"), err);
  }
}
