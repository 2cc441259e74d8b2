package dev.weft.agent.cli;

import static dev.weft.agent.GeneratedClass.aClass;
import static dev.weft.agent.GeneratedClass.anInterface;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.agent.ClassFiles;
import dev.weft.agent.WeftTransformer;
import dev.weft.agent.core.FrameContract;
import dev.weft.agent.rewrite.BigMethods;
import dev.weft.agent.rewrite.RewriteMark;
import example.fixtures.Handled;
import example.fixtures.Plain;
import example.fixtures.Shapes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/** {@code java -jar weft-agent.jar instrument}: its exit codes, its inputs and outputs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InstrumentTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Command.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path classes(Class<?>... cs) throws IOException {
    Path in = dir.resolve("in");
    for (Class<?> c : cs) {
      put(in, c.getName().replace('.', '/') + ".class", ClassFiles.bytesOf(c));
    }
    return in;
  }

  private static void put(Path root, String path, byte[] bytes) throws IOException {
    Path p = root.resolve(path);
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
  }

  private static byte[] read(Path root, String path) throws IOException {
    return Files.readAllBytes(root.resolve(path));
  }

  @Test
  void usageErrorsExitWithTwoAndSayWhy() {
    assertEquals(2, run());
    assertTrue(err().contains("usage: java -jar weft-agent.jar instrument"), err());
    assertEquals(2, run("rewrite", "a", "b"));
    assertTrue(err().contains("unknown command 'rewrite'"), err());
    assertEquals(2, run("instrument", "--fast", "a", "b"));
    assertTrue(err().contains("unknown option '--fast'"), err());
    assertEquals(2, run("instrument", "a"));
    assertTrue(err().contains("expected IN and OUT, got 1"), err());
    assertEquals(2, run("instrument", "a", "b", "--cp"));
    assertTrue(err().contains("--cp needs a class path"), err());
  }

  @Test
  void aMissingInputOrClassPathEntryExitsWithTwo() throws IOException {
    assertEquals(2, run("instrument", dir.resolve("nothing").toString(), dir.resolve("out").toString()));
    assertTrue(err().contains("no such jar or directory"), err());
    Path in = classes(Shapes.class);
    assertEquals(
        2,
        run("instrument", "--cp", dir.resolve("gone.jar").toString(), in.toString(),
            dir.resolve("out").toString()));
    assertTrue(err().contains("gone.jar: no such jar or directory on the class path"), err());
    assertFalse(Files.exists(dir.resolve("out")), "nothing written");
  }

  @Test
  void aCorruptJarExitsWithTwo() throws IOException {
    Path bad = dir.resolve("bad.jar");
    Files.writeString(bad, "this is not a zip file, whatever its name says");
    assertEquals(2, run("instrument", bad.toString(), dir.resolve("out.jar").toString()));
    assertTrue(err().contains("bad.jar: not a jar"), err());
    // A real zip cut short in the middle of an entry.
    Path whole = dir.resolve("whole.jar");
    try (OutputStream o = Files.newOutputStream(whole);
        ZipOutputStream zip = new ZipOutputStream(o)) {
      zip.putNextEntry(new ZipEntry("example/fixtures/Shapes.class"));
      zip.write(ClassFiles.bytesOf(Shapes.class));
      zip.closeEntry();
    }
    byte[] all = Files.readAllBytes(whole);
    Path cut = dir.resolve("cut.jar");
    Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
    err.reset();
    assertEquals(2, run("instrument", cut.toString(), dir.resolve("out.jar").toString()));
    assertTrue(err().contains("cut.jar: "), err());
  }

  @Test
  void aCorruptClassFileExitsWithTwo() throws IOException {
    Path in = classes(Shapes.class);
    put(in, "broken/Broken.class", new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 0});
    assertEquals(2, run("instrument", in.toString(), dir.resolve("out").toString()));
    assertTrue(err().contains("broken/Broken.class is not a valid class file"), err());
  }

  @Test
  void aDirectoryIsRewrittenIntoADirectoryWithItsResources() throws IOException {
    Path in = classes(Shapes.class, Plain.class);
    put(in, "META-INF/weft/notes.txt", "a resource".getBytes(StandardCharsets.UTF_8));
    Path outDir = dir.resolve("out");
    assertEquals(0, run("instrument", in.toString(), outDir.toString()), err());
    assertTrue(out.toString().matches("(?s)weft instrument: 1 rewritten, 1 unchanged, 0 failed in \\d+ ms\\s*"),
        out.toString());
    byte[] shapes = read(outDir, "example/fixtures/Shapes.class");
    ClassFiles.assertValid(shapes);
    assertEquals(FrameContract.VERSION, RewriteMark.versionOf(new ClassReader(shapes)));
    assertTrue(ClassFiles.instrumented(shapes).containsValue(true));
    assertArrayEquals(read(in, "example/fixtures/Plain.class"), read(outDir, "example/fixtures/Plain.class"),
        "a class without suspendable methods is copied byte for byte");
    assertArrayEquals(read(in, "META-INF/weft/notes.txt"), read(outDir, "META-INF/weft/notes.txt"));
  }

  @Test
  void aJarIsRewrittenIntoAJarWithItsManifest() throws IOException {
    Path jar = dir.resolve("app.jar");
    try (OutputStream o = Files.newOutputStream(jar);
        ZipOutputStream zip = new ZipOutputStream(o)) {
      zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
      zip.write("Manifest-Version: 1.0\nMain-Class: example.fixtures.Shapes\n\n".getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("example/fixtures/Shapes.class"));
      zip.write(ClassFiles.bytesOf(Shapes.class));
      zip.closeEntry();
    }
    Path outJar = dir.resolve("out/app-aot.jar");
    assertEquals(0, run("instrument", jar.toString(), outJar.toString()), err());
    try (JarFile j = new JarFile(outJar.toFile())) {
      assertEquals("example.fixtures.Shapes", j.getManifest().getMainAttributes().getValue("Main-Class"));
      byte[] shapes = j.getInputStream(j.getEntry("example/fixtures/Shapes.class")).readAllBytes();
      assertEquals(FrameContract.VERSION, RewriteMark.versionOf(new ClassReader(shapes)));
    }
  }

  @Test
  void inPlaceAndTwiceIsHarmless() throws IOException {
    Path in = classes(Shapes.class);
    assertEquals(0, run("instrument", in.toString(), in.toString()), err());
    byte[] once = read(in, "example/fixtures/Shapes.class");
    out.reset();
    assertEquals(0, run("instrument", in.toString(), in.toString()), err());
    assertTrue(out.toString().contains("0 rewritten, 1 unchanged, 0 failed"), out.toString());
    assertArrayEquals(once, read(in, "example/fixtures/Shapes.class"));
  }

  @Test
  void allMakesEveryMethodSuspendable() throws IOException {
    Path in = classes(Plain.class);
    assertEquals(0, run("instrument", in.toString(), dir.resolve("plain").toString()), err());
    assertTrue(out.toString().contains("0 rewritten, 1 unchanged"), out.toString());
    out.reset();
    assertEquals(0, run("instrument", "--all", in.toString(), dir.resolve("all").toString()), err());
    assertTrue(out.toString().contains("1 rewritten, 0 unchanged"), out.toString());
    Map<String, Boolean> marks = ClassFiles.instrumented(read(dir.resolve("all"), "example/fixtures/Plain.class"));
    marks.forEach((m, rewritten) -> assertTrue(rewritten || m.startsWith("<"), m + " rewritten"));
  }

  @Test
  void extraSuspendablesLinesNameMethodsAndAnnotations() throws Exception {
    Path in = classes(Plain.class, Handled.class);
    Instrument.Result r =
        new Instrument(in, dir.resolve("out"))
            .suspendables(List.of(
                "# named in the build, not in the code",
                "example.fixtures.Plain#run",
                "@example.fixtures.Handled$Handler  # a framework's annotation"))
            .run();
    assertEquals(2, r.rewritten(), r.summary());
    Map<String, Boolean> plain = ClassFiles.instrumented(read(dir.resolve("out"), "example/fixtures/Plain.class"));
    assertTrue(plain.get("run()V"), plain.toString());
    Map<String, Boolean> handled =
        ClassFiles.instrumented(read(dir.resolve("out"), "example/fixtures/Handled.class"));
    assertTrue(handled.get("handle(I)I"), handled.toString());
    assertFalse(handled.get("other(I)I"), handled.toString());
  }

  @Test
  void aBadSuspendablesLineIsAnErrorNamingIt() throws IOException {
    Path in = classes(Plain.class);
    InstrumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            InstrumentException.class,
            () -> new Instrument(in, dir.resolve("out"))
                .suspendables(List.of("example.fixtures.Plain#run", "example.fixtures.Plain"))
                .run());
    assertTrue(e.getMessage().contains("suspendables:2: 'example.fixtures.Plain' is not a method"),
        e.getMessage());
    assertFalse(Files.exists(dir.resolve("out")), "nothing written");
  }

  @Test
  void classPathGivesTheSupertypesOfADependency() throws IOException {
    Path dep = dir.resolve("dep");
    put(dep, "lib/Api.class", anInterface("lib/Api").abstractMethod("work", "()V", true).bytes());
    Path in = dir.resolve("in");
    put(in, "app/Impl.class", aClass("app/Impl", "java/lang/Object", "lib/Api").method("work", "()V", false).bytes());
    Path with = dir.resolve("with");
    assertEquals(0, run("instrument", "--cp", dep.toString(), in.toString(), with.toString()), err());
    assertTrue(ClassFiles.instrumented(read(with, "app/Impl.class")).get("work()V"),
        "implements a suspendable method of the dependency");
  }

  @Test
  void aClassThatCannotBeRewrittenIsWrittenDisarmedAndExitsWithOne() throws IOException {
    BigMethods big = new BigMethods(9000);
    Path in = dir.resolve("in");
    put(in, BigMethods.NAME + ".class", big.bytes());
    Path outDir = dir.resolve("out");
    assertEquals(1, run("instrument", in.toString(), outDir.toString()));
    assertTrue(out.toString().contains("0 rewritten, 0 unchanged, 1 failed"), out.toString());
    assertTrue(err().contains("cannot rewrite gen.Big: big()J is too large once rewritten"), err());
    assertTrue(err().contains("written disarmed"), err());
    byte[] written = read(outDir, BigMethods.NAME + ".class");
    assertEquals(FrameContract.VERSION, RewriteMark.versionOf(new ClassReader(written)),
        "marked: the agent loads it as it is");
    assertTrue(firstCallOf(written, "big").equals(FrameContract.FRAME_STACK + ".disarm"),
        "disarmed, as the agent would load it");
  }

  @Test
  void theResultTellsABuildPluginWhatHappenedWithoutExiting() throws Exception {
    Path in = classes(Shapes.class, Plain.class);
    Instrument.Result r = new Instrument(in, dir.resolve("out")).run();
    assertEquals(1, r.rewritten());
    assertEquals(1, r.unchanged());
    assertEquals(0, r.failed());
    assertEquals(0, r.exitCode());
    InstrumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            InstrumentException.class, () -> new Instrument(dir.resolve("none"), dir.resolve("x")).run());
    assertTrue(e.getMessage().contains("no such jar or directory"), e.getMessage());
  }

  @Test
  void theAgentLeavesAClassMarkedWithTheCurrentVersionAlone() throws Exception {
    Path in = classes(Shapes.class);
    new Instrument(in, in).run();
    byte[] aot = read(in, "example/fixtures/Shapes.class");
    WeftTransformer agent = new WeftTransformer(null, true, true);
    assertNull(
        agent.transform(Shapes.class.getClassLoader(), "example/fixtures/Shapes", null, null, aot),
        "loaded as it is, not rewritten twice");
  }

  @Test
  void aRetransformedClassWhoseMarkTheJvmDroppedIsLeftAsItIsWithoutAWarning() throws Exception {
    Path in = classes(Shapes.class);
    new Instrument(in, in).run();
    // What the JVM hands a transformer when another agent retransforms the class: its bytes
    // rebuilt without class-retention annotations, the constant pool as loaded.
    ClassReader reader = new ClassReader(read(in, "example/fixtures/Shapes.class"));
    ClassWriter w = new ClassWriter(reader, 0);
    reader.accept(
        new org.objectweb.asm.ClassVisitor(Opcodes.ASM9, w) {
          @Override
          public org.objectweb.asm.AnnotationVisitor visitAnnotation(String desc, boolean visible) {
            return desc.equals(FrameContract.REWRITTEN_DESC) ? null : super.visitAnnotation(desc, visible);
          }
        },
        0);
    byte[] rebuilt = w.toByteArray();
    assertEquals(RewriteMark.UNMARKED, RewriteMark.versionOf(new ClassReader(rebuilt)), "the mark is gone");
    PrintStream before = System.err;
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
    try {
      assertNull(
          new WeftTransformer(null, true, true)
              .transform(Shapes.class.getClassLoader(), "example/fixtures/Shapes", Shapes.class, null, rebuilt),
          "the loaded code stays");
    } finally {
      System.setErr(before);
    }
    assertFalse(said.toString(StandardCharsets.UTF_8).contains("cannot rewrite"), said.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aClassMarkedWithAnotherVersionIsRefusedClearly() throws Exception {
    Path in = classes(Shapes.class);
    new Instrument(in, in).run();
    byte[] other = withContractVersion(read(in, "example/fixtures/Shapes.class"), FrameContract.VERSION + 1);
    WeftTransformer.Outcome o =
        new WeftTransformer(null, true, true)
            .rewrite(Shapes.class.getClassLoader(), "example/fixtures/Shapes", other);
    assertNull(o.bytes(), "not rewritten a second time");
    assertTrue(o.failure().contains("rewritten ahead of time for version " + (FrameContract.VERSION + 1)
        + " of the frame-stack contract, and this agent writes version " + FrameContract.VERSION), o.failure());
    put(in, "example/fixtures/Shapes.class", other);
    assertEquals(1, run("instrument", in.toString(), dir.resolve("out").toString()));
    assertTrue(err().contains("cannot rewrite example.fixtures.Shapes: it was rewritten ahead of time"), err());
  }

  private static byte[] withContractVersion(byte[] bytes, int version) {
    ClassNode cn = new ClassNode();
    new ClassReader(bytes).accept(cn, 0);
    cn.invisibleAnnotations.removeIf(a -> a.desc.equals(FrameContract.REWRITTEN_DESC));
    cn.visitAnnotation(FrameContract.REWRITTEN_DESC, false).visit(FrameContract.REWRITTEN_VERSION, version);
    ClassWriter w = new ClassWriter(0);
    cn.accept(w);
    return w.toByteArray();
  }

  private static String firstCallOf(byte[] bytes, String method) {
    ClassNode cn = new ClassNode();
    new ClassReader(bytes).accept(cn, 0);
    for (MethodNode m : cn.methods) {
      if (m.name.equals(method)) {
        for (var i = m.instructions.getFirst(); i != null; i = i.getNext()) {
          if (i.getOpcode() == Opcodes.INVOKESTATIC) {
            MethodInsnNode call = (MethodInsnNode) i;
            return call.owner + "." + call.name;
          }
        }
      }
    }
    return "";
  }
}
