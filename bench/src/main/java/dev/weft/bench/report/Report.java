package dev.weft.bench.report;

import dev.weft.samples.CommandLine;
import dev.weft.samples.Options;
import dev.weft.samples.UsageException;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Generates {@code docs/performance.md} and its PNG plots from the {@code RESULT} lines of one
 * comparison run; {@code bench/compare.sh} calls it last. With {@code --network} it writes only
 * the network section from a run of {@code bench/net.sh} into the page as it is; with {@code
 * --startup} (the lines of {@code bench/startup.sh}) it writes the start-up section too, or,
 * without {@code --raw}, only that section into the page as it is; likewise {@code --timers} (the
 * lines of {@code bench/timers.sh}) for the timers section. A page regenerated without them keeps
 * the network, start-up and timers sections it had.
 *
 * <pre>{@code
 * java -cp bench/target/weft-bench.jar dev.weft.bench.report.Report \
 *     --raw bench/results/latest/raw.txt --meta bench/results/latest/meta.txt \
 *     --out docs/performance.md --images docs/img [--jmh bench/results/jmh-latest]
 * }</pre>
 *
 * <p>The plots are drawn with java.awt in headless mode: no Python or plotting library needed.
 */
public final class Report {
  private static final Options OPTIONS =
      new Options(
              "usage: Report [--raw RAW.txt] [--meta META.txt] [--out performance.md]"
                  + " [--images DIR] [--jmh DIR] [--network]"
                  + " [--startup RAW.txt] [--startup-meta META.txt]"
                  + " [--timers RAW.txt] [--timers-meta META.txt]")
          .value("raw")
          .value("meta")
          .value("out")
          .value("images")
          .value("jmh")
          .flag("network")
          .value("startup")
          .value("startup-meta")
          .value("timers")
          .value("timers-meta");

  private Report() {}

  /** Writes the report; see the class comment. */
  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    CommandLine.exit(
        CommandLine.run(
            OPTIONS,
            args,
            System.out,
            System.err,
            (o, out, err) -> {
              if (!o.has("raw") && !o.has("startup") && !o.has("timers")) {
                throw new UsageException(
                    "--raw, --startup or --timers is required: the RESULT lines of a run");
              }
              Path md = Paths.get(o.text("out", "docs/performance.md"));
              String before =
                  Files.exists(md)
                      ? new String(Files.readAllBytes(md), StandardCharsets.UTF_8)
                      : null;
              String section = null;
              if (o.has("startup")) {
                ResultSet startup = read(o.text("startup", null));
                Machine meta =
                    Machine.read(
                        o.has("startup-meta") ? Paths.get(o.text("startup-meta", null)) : null);
                section = new StartupSection(startup, meta).write();
              } else if (before != null) {
                section = StartupSection.extract(before); // carried over from the last run
              }
              File images = new File(o.text("images", "docs/images"));
              String link = relativeLink(md, images.toPath());
              String timers = null;
              if (o.has("timers")) {
                ResultSet lines = read(o.text("timers", null));
                if (!TimersSection.present(lines)) {
                  throw new UsageException(o.text("timers", null) + " holds no timers RESULT line");
                }
                Machine meta =
                    Machine.read(
                        o.has("timers-meta") ? Paths.get(o.text("timers-meta", null)) : null);
                timers = new TimersSection(lines, meta, images, link).write();
              } else if (before != null) {
                timers = TimersSection.MARKS.extract(before); // carried over from the last run
              }
              String text;
              if (o.has("raw")) {
                ResultSet results = read(o.text("raw", null));
                Machine machine =
                    Machine.read(o.has("meta") ? Paths.get(o.text("meta", null)) : null);
                if (o.has("network")) {
                  // bench/net.sh: its section only, into the page as it is.
                  if (!NetworkReport.hasResults(results)) {
                    throw new UsageException(o.text("raw", null) + " holds no network RESULT line");
                  }
                  text =
                      NetworkBlock.splice(
                          before != null ? before : "",
                          new NetworkReport(results, machine, images, link).write());
                } else {
                  JmhTables jmh =
                      JmhTables.read(o.has("jmh") ? Paths.get(o.text("jmh", null)) : null);
                  text = new PerformanceReport(results, machine, jmh, images, link).write();
                  String network =
                      NetworkReport.hasResults(results)
                          ? new NetworkReport(results, machine, images, link).write()
                          : before != null
                              ? NetworkBlock.extract(before) // compare.sh keeps net.sh's section
                              : null;
                  if (network != null) {
                    text = NetworkBlock.splice(text, network);
                  }
                }
              } else {
                text = before != null ? before : StartupSection.EMPTY_PAGE;
              }
              if (section != null) {
                text = StartupSection.splice(text, section);
              }
              if (timers != null) {
                text = TimersSection.MARKS.splice(text, timers);
              }
              Path parent = md.toAbsolutePath().getParent();
              Files.createDirectories(parent);
              Files.write(md, text.getBytes(StandardCharsets.UTF_8));
              out.println("wrote " + md);
            }));
  }

  private static ResultSet read(String file) throws java.io.IOException, UsageException {
    Path raw = Paths.get(file);
    if (!Files.isReadable(raw)) {
      throw new UsageException("cannot read " + raw);
    }
    ResultSet results = ResultSet.read(raw);
    if (results.isEmpty()) {
      throw new UsageException(raw + " holds no RESULT line: did every run fail?");
    }
    return results;
  }

  /** The images directory as a link relative to the Markdown file, ending with a slash. */
  private static String relativeLink(Path markdown, Path images) {
    Path from = markdown.toAbsolutePath().normalize().getParent();
    String rel = from.relativize(images.toAbsolutePath().normalize()).toString().replace('\\', '/');
    return rel.isEmpty() ? "" : rel + "/";
  }
}
