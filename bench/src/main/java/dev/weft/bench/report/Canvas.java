package dev.weft.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A white PNG canvas with the look shared by every chart of the report: fonts, series colours, a
 * title and a legend. Drawn with java.awt in headless mode, so the report needs nothing but a JDK.
 *
 * <pre>{@code
 * Canvas c = new Canvas(900, 500, "Ping-pong");
 * c.g.drawLine(0, 0, 10, 10);
 * c.legend(List.of("p=1", "p=2"), 700, 40);
 * c.save(new File("docs/images/perf-pingpong.png"));
 * }</pre>
 */
final class Canvas {
  /** Colour-blind-friendly series colours (Okabe and Ito's palette). */
  static final Color[] SERIES = {
    new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7),
    new Color(0x56B4E9), new Color(0xD55E00), new Color(0xF0E442), new Color(0x000000)
  };

  static final Color GRID = new Color(0xE6E6E6);
  static final Color AXIS = new Color(0x444444);
  static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 17);
  static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

  final BufferedImage image;
  final Graphics2D g;
  final int width;
  final int height;

  Canvas(int width, int height, String title) {
    System.setProperty("java.awt.headless", "true");
    this.width = width;
    this.height = height;
    image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(TITLE);
    g.drawString(title, 20, 28);
  }

  static Color series(int i) {
    return SERIES[i % SERIES.length];
  }

  /** Draws {@code text} with its right end at {@code x}. */
  void drawRight(String text, int x, int y) {
    g.drawString(text, x - g.getFontMetrics().stringWidth(text), y);
  }

  /** Draws {@code text} centred on {@code x}. */
  void drawCentred(String text, int x, int y) {
    g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, y);
  }

  /** A legend of coloured squares, one row each, starting at the top-left corner given. */
  void legend(List<String> names, int x, int y) {
    g.setFont(LABEL);
    for (int i = 0; i < names.size(); i++) {
      int row = y + i * 20;
      g.setColor(series(i));
      g.fillRect(x, row - 11, 12, 12);
      g.setColor(Color.BLACK);
      g.drawString(names.get(i), x + 18, row);
    }
  }

  void stroke(float width, boolean dashed) {
    g.setStroke(
        dashed
            ? new BasicStroke(
                width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1, new float[] {6, 5}, 0)
            : new BasicStroke(width));
  }

  /** Writes the PNG, creating its directory. */
  void save(File png) throws IOException {
    g.dispose();
    File dir = png.getAbsoluteFile().getParentFile();
    if (!dir.isDirectory() && !dir.mkdirs()) {
      throw new IOException("cannot create " + dir);
    }
    ImageIO.write(image, "png", png);
  }
}
