package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Weft;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MandelbrotTest {
  @Test
  void tabulatesEveryProcsSettingAndWritesTheSet(@TempDir Path dir) throws Exception {
    System.setProperty("java.awt.headless", "true");
    File png = dir.resolve("m.png").toFile();
    Captured c =
        HangGuard.within(
            () ->
                Captured.run(
                    Mandelbrot::run,
                    "--size",
                    "64",
                    "--iterations",
                    "50",
                    "--runs",
                    "1",
                    "--max-procs",
                    "2",
                    "--out",
                    png.getPath()));
    assertEquals(0, c.status, c.toString());
    assertEquals(1.0, c.number("(?m)^ +1 +[\\d.]+ +([\\d.]+)$"), "speed-up at 1: " + c);
    assertTrue(c.number("(?m)^ +2 +[\\d.]+ +([\\d.]+)$") > 0, c.toString());
    assertTrue(c.out.contains("wrote " + png.getPath()), c.toString());

    BufferedImage image = ImageIO.read(png);
    assertEquals(64, image.getWidth());
    assertEquals(64, image.getHeight());
    assertEquals(0, image.getRGB(32, 32) & 0xFFFFFF, "the origin is in the set: black");
    assertEquals(0, image.getRGB(16, 32) & 0xFFFFFF, "so is -1: black");
    assertNotEquals(0, image.getRGB(0, 0) & 0xFFFFFF, "-2-2i escapes at once: not black");
    assertNotEquals(0, image.getRGB(63, 32) & 0xFFFFFF, "2 escapes: not black");
  }

  @Test
  void fibersRenderWhatOneThreadRenders() throws Exception {
    MandelbrotRenderer r = new MandelbrotRenderer(48, 40);
    int[] byFibers = HangGuard.within(() -> Weft.call(r::render));
    int[] byThisThread = new int[48 * 48];
    for (int y = 0; y < 48; y++) {
      r.renderRow(y, byThisThread);
    }
    assertArrayEquals(byThisThread, byFibers, "every row rendered by its fiber, in its place");
  }

  @Test
  void rejectsBadOptions() throws Exception {
    Captured c = Captured.run(Mandelbrot::run, "--size", "0");
    assertEquals(CommandLine.USAGE_STATUS, c.status, c.toString());
    c = Captured.run(Mandelbrot::run, "--out", "picture.jpg");
    assertEquals(CommandLine.USAGE_STATUS, c.status, c.toString());
    assertTrue(c.err.contains("--out must name a .png file"), c.toString());
  }
}
