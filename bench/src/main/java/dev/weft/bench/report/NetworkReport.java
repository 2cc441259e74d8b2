package dev.weft.bench.report;

import dev.weft.bench.report.ResultSet.Query;
import dev.weft.bench.report.ResultSet.SystemId;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The network section of {@code docs/performance.md}, from one run of {@code bench/net.sh}: the
 * HTTP responders' requests per second, server CPU per request and latency at each connection
 * count, with whether the client's core was saturated, server memory and threads per idle
 * connection, and 1 KB echo; the targets checked against them.
 *
 * <pre>{@code
 * if (NetworkReport.hasResults(results)) {
 *   String section = new NetworkReport(results, machine, images, "images/").write();
 * }
 * }</pre>
 *
 * <p>Its own header names the run, because the page's other sections come from another script run
 * at another time; {@link NetworkBlock} puts the section into the page.
 */
final class NetworkReport {
  private static final String HTTP = "http";
  private static final String IDLE = "idle";
  /** Not "echo": that is bench/compare.sh's ping-pong, its echo side written as users write it. */
  private static final String ECHO = "tcp-echo";
  /** The server's CPU time (user + system) over the measured run, over the requests answered. */
  private static final String CPU_PER_REQUEST = "cpu_us_per_req";
  /** wrk's own CPU time over the measured run, over the run's wall time. */
  private static final String CLIENT_SHARE = "client_cpu_share";

  /** The echo server's CPU per message, in µs. */
  private static final String CPU_PER_MESSAGE = "cpu_us_per_msg";
  /** The client's share of its core from which it counts as saturated. */
  private static final double SATURATED = 0.9;
  /** The server's parallelism in every measurement: GOMAXPROCS=1. */
  private static final int PROCS = 1;

  private final ResultSet results;
  private final Machine machine;
  private final File imageDir;
  private final String imageLink;
  private final StringBuilder md = new StringBuilder();
  private final List<String[]> targets = new ArrayList<>();

  NetworkReport(ResultSet results, Machine machine, File imageDir, String imageLink) {
    this.results = results;
    this.machine = machine;
    this.imageDir = imageDir;
    this.imageLink = imageLink;
  }

  /** Whether {@code results} hold any measurement of {@code bench/net.sh}. */
  static boolean hasResults(ResultSet results) {
    return !results.systems(HTTP).isEmpty()
        || !results.systems(IDLE).isEmpty()
        || !results.systems(ECHO).isEmpty();
  }

  /** Draws the plots and returns the section's Markdown, starting with its "## " heading. */
  String write() throws IOException {
    StringBuilder body = new StringBuilder();
    http();
    idle();
    echo();
    body.append(md);
    md.setLength(0);
    header();
    targetTable();
    md.append(body);
    method();
    return md.toString();
  }

  private void header() {
    md.append("## Network\n\n")
        .append("Measured by `")
        .append(machine.get("command"))
        .append("` on ")
        .append(machine.get("date"))
        .append(" (")
        .append(machine.get("elapsed"))
        .append(") on the same kind of machine: ")
        .append(machine.get("cores"))
        .append(" cores (")
        .append(machine.get("cpu"))
        .append("), ")
        .append(machine.get("java25"))
        .append(", ")
        .append(machine.get("go"))
        .append(", ")
        .append(machine.get("wrk"))
        .append(". Load average ")
        .append(machine.get("load"))
        .append(", ")
        .append(machine.get("load_end"))
        .append(" (the start shows whether other work shared the machine;")
        .append(" the end's includes the benchmark's own threads: the platform-thread server runs")
        .append(" one a connection).")
        .append(" Medians of ")
        .append(machine.get("reps"))
        .append(" interleaved repetitions, [min–max] where they differ by more than 20%.\n\n")
        .append("One server process at parallelism 1 (`GOMAXPROCS=1`,")
        .append(" `-Djdk.virtualThreadScheduler.parallelism=1`, `-Dweft.maxprocs=1`) pinned")
        .append(" to CPU 0 by `taskset`; the load on CPU 1. Each responder is the same minimal")
        .append(" keep-alive HTTP/1.1 server: one goroutine, thread or fiber a connection reads")
        .append(" request heads up to their blank line and answers each with the same 13-byte")
        .append(" \"Hello, World!\" response (pipelined requests are answered with one write).\n\n");
  }

  private void targetTable() {
    if (targets.isEmpty()) {
      return;
    }
    md.append("| network target | measured | met |\n|---|---|---|\n");
    for (String[] t : targets) {
      md.append("| ").append(t[0]).append(" | ").append(t[1]).append(" | ").append(t[2]);
      md.append(" |\n");
    }
    md.append('\n');
  }

  private void target(String what, String measured, boolean met) {
    targets.add(new String[] {what, measured, met ? "yes" : "**no**"});
  }

  // ---------------------------------------------------------------------------------------------

  private void http() throws IOException {
    List<SystemId> systems = results.systems(HTTP);
    if (systems.isEmpty()) {
      return;
    }
    List<Integer> conns = ints(results.values(HTTP, "conns"));
    SystemId weft = find(HTTP, "weft");
    SystemId go = find(HTTP, "go");
    md.append("### HTTP requests per second\n\n")
        .append("`wrk -t1 -cN --latency` for ")
        .append(machine.get("seconds"))
        .append(" s after a ")
        .append(machine.get("warmup"))
        .append(" s warm-up, against a fresh server each time");
    String churn = machine.get("warmup_churn");
    if (!"unknown".equals(churn)) {
      md.append(" (before it, ")
          .append(churn.equals("1") ? "one `wrk` run" : churn + " `wrk` runs")
          .append(" of 1 s at 100 connections, so that a JIT has also compiled what happens when")
          .append(" connections open and close)");
    }
    md.append(". Each `wrk` run opens its")
        .append(" connections anew, one thread doing it all: at 10,000 connections that setup")
        .append(" is part of the measured seconds, for every server alike.\n\n");
    connsHeader(conns, weft != null);
    List<String> series =
        conns.stream().map(c -> Format.count(c) + " connections").collect(Collectors.toList());
    BarChart rates =
        new BarChart("HTTP responders: requests per second (higher is better)", "requests/s", series);
    BarChart p99 =
        new BarChart("HTTP responders: p99 latency in ms (lower is better)", "ms", series).log();
    for (SystemId s : systems) {
      md.append("| ").append(label(s, HTTP)).append(" |");
      double[] bars = new double[conns.size()];
      double[] tails = new double[conns.size()];
      for (int i = 0; i < conns.size(); i++) {
        Query q = Query.of(HTTP, s).with("conns", conns.get(i));
        Stats st = results.stats("req_per_s", q);
        bars[i] = st.median;
        tails[i] = results.stats("p99_ms", q).median;
        md.append(' ')
            .append(!st.isEmpty() && st.max == 0 ? "0 (no request answered)" : Format.median(st, Format::rate))
            .append(" |");
      }
      if (weft != null) {
        for (int c : conns) {
          md.append(' ').append(advantage(HTTP, "req_per_s", s, weft, c, true)).append(" |");
        }
      }
      md.append('\n');
      rates.category(label(s, HTTP), bars);
      p99.category(label(s, HTTP), tails);
    }
    clientSaturation(systems, conns);
    image(rates, "perf-net-http.png", Format::rate);
    cpuPerRequest(systems, conns, weft);

    md.append("Latency as `wrk` reports it (ms), p50 / p99:\n\n");
    connsHeader(conns, false);
    for (SystemId s : systems) {
      md.append("| ").append(label(s, HTTP)).append(" |");
      for (int c : conns) {
        Query q = Query.of(HTTP, s).with("conns", c);
        Stats rate = results.stats("req_per_s", q);
        if (!rate.isEmpty() && rate.max == 0) {
          md.append(" no request answered |"); // wrk reports a latency of 0 then
          continue;
        }
        md.append(' ')
            .append(Format.median(results.stats("p50_ms", q), Format::sig))
            .append(" / ")
            .append(Format.median(results.stats("p99_ms", q), Format::sig))
            .append(errors(q))
            .append(" |");
      }
      md.append('\n');
    }
    image(p99, "perf-net-latency.png", Format::sig);

    if (weft != null && go != null && conns.contains(100)) {
      double mine = medianAt(HTTP, "req_per_s", weft, 100);
      double theirs = medianAt(HTTP, "req_per_s", go, 100);
      target(
          "requests/s at 100 connections ahead of Go's raw responder",
          Format.rate(mine) + "/s vs " + Format.rate(theirs) + "/s: " + Format.ratio(mine / theirs),
          mine > theirs);
    }
  }

  /**
   * One sentence on whether {@code wrk}'s own core was saturated at each connection count, judged
   * on its CPU share in the runs against each server (the median of the repetitions): one {@code
   * wrk} thread tops out near 100 k requests/s, and against a server cheaper than that the rate is
   * the client's ceiling, the same for every such server.
   */
  private void clientSaturation(List<SystemId> systems, List<Integer> conns) {
    List<String> parts = new ArrayList<>();
    for (int c : conns) {
      int saturated = 0;
      List<String> notSaturated = new ArrayList<>();
      double low = Double.NaN;
      double high = Double.NaN;
      for (SystemId s : systems) {
        double share = medianAt(HTTP, CLIENT_SHARE, s, c);
        if (Double.isNaN(share)) {
          continue;
        }
        low = Double.isNaN(low) ? share : Math.min(low, share);
        high = Double.isNaN(high) ? share : Math.max(high, share);
        if (share >= SATURATED) {
          saturated++;
        } else {
          notSaturated.add(label(s, HTTP));
        }
      }
      if (Double.isNaN(low)) {
        continue;
      }
      String against;
      if (notSaturated.isEmpty()) {
        against = "against every server";
      } else if (saturated == 0) {
        against = "against no server";
      } else {
        int all = saturated + notSaturated.size();
        against =
            "against " + saturated + " of " + all + " servers, all but "
                + String.join(" and ", notSaturated);
      }
      String range =
          percent(low).equals(percent(high))
              ? percent(low)
              : percent(low).replace("%", "") + "–" + percent(high);
      parts.add("at " + Format.count(c) + " connections " + against + " (" + range + ")");
    }
    if (parts.isEmpty()) {
      md.append("\n`wrk`'s own CPU was not recorded in this run.\n");
      return;
    }
    md.append("\n`wrk`'s core was saturated, its user + system CPU ")
        .append(percent(SATURATED))
        .append(" or more of the measured run's wall time (GNU `time`, median of the repetitions),")
        .append(' ')
        .append(String.join("; ", parts))
        .append(": where it was, requests/s is the client's ceiling as much as the server's")
        .append(" speed, and the server's CPU per request below is what tells the servers")
        .append(" apart.\n");
  }

  /**
   * The server's CPU time per request: the figure that compares the servers where the client's
   * core, not the server's, sets requests/s. Left out for runs that did not record it.
   */
  private void cpuPerRequest(List<SystemId> systems, List<Integer> conns, SystemId weft) {
    boolean any = false;
    for (SystemId s : systems) {
      for (int c : conns) {
        any |= !Double.isNaN(medianAt(HTTP, CPU_PER_REQUEST, s, c));
      }
    }
    if (!any) {
      return;
    }
    md.append("Server CPU per request (µs): the server process's user + system time over the")
        .append(" measured run (`utime` + `stime` in `/proc/PID/stat`, every thread), over the")
        .append(" requests `wrk` completed in it. Lower is better: *Weft's advantage* is the other")
        .append(" server's figure over Weft's, above 1× where Weft spends less.\n\n");
    connsHeader(conns, weft != null);
    for (SystemId s : systems) {
      md.append("| ").append(label(s, HTTP)).append(" |");
      for (int c : conns) {
        Query q = Query.of(HTTP, s).with("conns", c);
        md.append(' ').append(Format.median(results.stats(CPU_PER_REQUEST, q), Format::sig));
        md.append(" |");
      }
      if (weft != null) {
        for (int c : conns) {
          md.append(' ').append(advantage(HTTP, CPU_PER_REQUEST, s, weft, c, false)).append(" |");
        }
      }
      md.append('\n');
    }
    md.append('\n');
  }

  /** A table's head: a column for each connection count, then Weft's advantage at each. */
  private void connsHeader(List<Integer> conns, boolean advantages) {
    StringBuilder head = new StringBuilder("| server |");
    StringBuilder rule = new StringBuilder("|---|");
    for (int c : conns) {
      head.append(' ').append(Format.count(c)).append(" connections |");
      rule.append("---|");
    }
    if (advantages) {
      for (int c : conns) {
        head.append(" Weft's advantage at ").append(Format.count(c)).append(" |");
        rule.append("---|");
      }
    }
    md.append(head).append('\n').append(rule).append('\n');
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
  }

  /** " (N errors)" when wrk counted socket errors or non-2xx answers in a repetition. */
  private String errors(Query q) {
    Stats e = results.stats("errors", q);
    return e.isEmpty() || e.max == 0 ? "" : " (" + Format.count(e.max) + " errors)";
  }

  private void idle() throws IOException {
    List<SystemId> systems = results.systems(IDLE);
    if (systems.isEmpty()) {
      return;
    }
    List<Integer> conns = ints(results.values(IDLE, "conns"));
    md.append("### Idle connections\n\n")
        .append("A separate client process (Go, on CPU 1) opens N connections to the HTTP")
        .append(" responder and sends nothing. *Per connection* is the growth of the server's")
        .append(" resident memory (`VmRSS` in `/proc/PID/status`) from before the clients")
        .append(" connected to after every connection was accepted and its reader parked, over N;")
        .append(" Java servers get a full collection (`jcmd PID GC.run`) before both readings.")
        .append(" *Threads* is the server's thread count before → after.\n\n")
        .append("An idle Weft connection holds about 1.6 KB of heap: its fiber parked in `read`")
        .append(" (64 bytes and its saved frames, ~190), the sample's 256-byte read buffer (the")
        .append(" array and its `ByteBuffer`, ~330), `Conn` (40), `PollDesc` (56), the read")
        .append(" direction's blocker (24) and read turn (a `Mutex`, 32), and the JDK's share, about")
        .append(" 800 bytes: the `SocketChannel` with its two locks and file descriptor, its")
        .append(" selection key, the selector's map entries and the two socket addresses. The")
        .append(" write turn and the write blocker are made only by a write that has to wait. The")
        .append(" rest of the resident growth is the heap's room around the live data.\n\n")
        .append("| server | connections | RSS per connection | threads |\n|---|---|---|---|\n");
    List<String> series =
        conns.stream().map(c -> Format.count(c) + " connections").collect(Collectors.toList());
    BarChart bytes =
        new BarChart(
                "Idle connections: server RSS growth per connection (lower is better)",
                "bytes per connection",
                series)
            .log();
    for (SystemId s : systems) {
      double[] bars = new double[conns.size()];
      for (int i = 0; i < conns.size(); i++) {
        int n = conns.get(i);
        Query q = Query.of(IDLE, s).with("conns", n);
        Stats per = results.stats("rss_bytes_per_conn", q);
        bars[i] = per.median;
        if (per.isEmpty()) {
          continue;
        }
        md.append("| ")
            .append(label(s, IDLE))
            .append(" | ")
            .append(Format.count(n))
            .append(" | ")
            .append(Format.median(per, Format::count, "B"))
            .append(" | ")
            .append(Format.count(results.stats("threads_before", q).median))
            .append(" → ")
            .append(Format.median(results.stats("threads_after", q), Format::count))
            .append(" |\n");
      }
      bytes.category(label(s, IDLE), bars);
    }
    image(bytes, "perf-net-idle.png", Format::count);

    SystemId weft = find(IDLE, "weft");
    SystemId go = find(IDLE, "go");
    if (weft == null) {
      return;
    }
    for (int n : conns) {
      double mine = medianAt(IDLE, "rss_bytes_per_conn", weft, n);
      double theirs = go == null ? Double.NaN : medianAt(IDLE, "rss_bytes_per_conn", go, n);
      if (!Double.isNaN(mine) && !Double.isNaN(theirs)) {
        target(
            "resident memory per idle connection below Go's, " + Format.count(n) + " connections",
            Format.count(mine) + " B vs " + Format.count(theirs) + " B",
            mine < theirs);
      }
      Query q = Query.of(IDLE, weft).with("conns", n);
      Stats after = results.stats("threads_after", q);
      Stats before = results.stats("threads_before", q);
      if (!after.isEmpty()) {
        // The worst repetition counts: a thread too many once is a thread too many.
        double extra = after.max - before.min;
        target(
            "at most GOMAXPROCS + 4 = "
                + (PROCS + 4)
                + " threads more with "
                + Format.count(n)
                + " idle connections",
            Format.count(before.min) + " → " + Format.count(after.max) + " threads",
            extra <= PROCS + 4);
      }
    }
  }

  private void echo() {
    List<SystemId> systems = results.systems(ECHO);
    if (systems.isEmpty()) {
      return;
    }
    SystemId weft = find(ECHO, "weft");
    boolean cpu = false;
    for (SystemId s : systems) {
      cpu |= !results.stats(CPU_PER_MESSAGE, Query.of(ECHO, s)).isEmpty();
    }
    md.append("### Echo\n\n")
        .append("100 connections from a Go client on CPU 1, each sending a 1 KB message and")
        .append(" reading it back, again and again; messages echoed per second.");
    if (cpu) {
      md.append(" The warm-up runs in a client process of its own. *Server CPU per message* is the")
          .append(" server process's user + system time around the whole measured client process")
          .append(" (`/proc/PID/stat`, every thread) over every message it echoed (its half second")
          .append(" of warm-up included); lower is better, and *Weft's advantage in CPU* is the")
          .append(" other server's figure over Weft's. *Client's core* is the client's own CPU over")
          .append(" the measured seconds (`getrusage`).");
    }
    md.append("\n\n| server | messages/s | MB/s each way | Weft's advantage |");
    md.append(cpu ? " server CPU per message (µs) | Weft's advantage in CPU | client's core |\n" : "\n");
    md.append(cpu ? "|---|---|---|---|---|---|---|\n" : "|---|---|---|---|\n");
    boolean saturated = cpu;
    for (SystemId s : systems) {
      Query q = Query.of(ECHO, s);
      md.append("| ")
          .append(label(s, ECHO))
          .append(" | ")
          .append(Format.median(results.stats("msgs_per_s", q), Format::rate))
          .append(" | ")
          .append(Format.median(results.stats("mb_per_s", q), Format::sig))
          .append(" | ")
          .append(weft == null || s.equals(weft) ? "—" : ratio(ECHO, "msgs_per_s", weft, s))
          .append(" |");
      if (cpu) {
        Stats perMessage = results.stats(CPU_PER_MESSAGE, q);
        Stats share = results.stats(CLIENT_SHARE, q);
        saturated &= !share.isEmpty() && share.median >= SATURATED;
        md.append(' ')
            .append(Format.median(perMessage, Format::sig))
            .append(" | ")
            // Lower is better: the other server's figure over Weft's ("-" where one is missing).
            .append(weft == null || s.equals(weft) ? "—" : ratio(ECHO, CPU_PER_MESSAGE, s, weft))
            .append(" | ")
            .append(share.isEmpty() ? "-" : percent(share.median))
            .append(" |");
      }
      md.append('\n');
    }
    if (saturated) {
      md.append("\nAgainst every server the client's core was saturated (")
          .append(percent(SATURATED))
          .append(" or more): messages/s is the client's ceiling as much as the server's speed,")
          .append(" and the server's CPU per message is what tells the servers apart.\n");
    }
    md.append('\n');
    SystemId go = find(ECHO, "go");
    if (weft != null && go != null) {
      double mine = results.stats("msgs_per_s", Query.of(ECHO, weft)).median;
      double theirs = results.stats("msgs_per_s", Query.of(ECHO, go)).median;
      target(
          "1 KB echo over 100 connections at least Go's rate",
          Format.rate(mine) + "/s vs " + Format.rate(theirs) + "/s: " + Format.ratio(mine / theirs),
          mine >= theirs);
    }
  }

  private void method() {
    md.append("The programs: Weft's responder is the `HttpHello` sample (`dev.weft.net`), its")
        .append(" echo server `dev.weft.bench.net.WeftEchoServer`; the Java ones are in")
        .append(" `dev.weft.bench.net` (`RawHttpServer threads|vthreads`, `JdkHttpServer`), the")
        .append(" Go ones and both load clients in `bench/go/net.go`. Every Java server runs on")
        .append(" the Java 25 above with its default heap and collector.\n\n");
  }

  // ---------------------------------------------------------------------------------------------

  private void image(BarChart chart, String name, java.util.function.DoubleFunction<String> label)
      throws IOException {
    if (chart.isEmpty()) {
      return;
    }
    chart.save(new File(imageDir, name), label);
    md.append("\n![").append(name).append("](").append(imageLink).append(name).append(")\n\n");
  }

  private double medianAt(String w, String metric, SystemId s, int conns) {
    return results.stats(metric, Query.of(w, s).with("conns", conns)).median;
  }

  private String advantage(
      String w, String metric, SystemId s, SystemId weft, int conns, boolean higherIsBetter) {
    if (s.equals(weft)) {
      return "—";
    }
    double mine = medianAt(w, metric, weft, conns);
    double theirs = medianAt(w, metric, s, conns);
    return Format.ratio(higherIsBetter ? mine / theirs : theirs / mine);
  }

  private String ratio(String w, String metric, SystemId weft, SystemId other) {
    return Format.ratio(
        results.stats(metric, Query.of(w, weft)).median
            / results.stats(metric, Query.of(w, other)).median);
  }

  private SystemId find(String workload, String name) {
    for (SystemId s : results.systems(workload)) {
      if (s.name.equals(name)) {
        return s;
      }
    }
    return null;
  }

  private String label(SystemId s, String workload) {
    String jdk = s.java == null ? "" : " (Java " + s.java + ")";
    switch (s.name) {
      case "weft":
        return "Weft, dev.weft.net" + jdk;
      case "go":
        return machine.goName() + (workload.equals(ECHO) ? "" : ", raw TCP + bufio");
      case "go-nethttp":
        return machine.goName() + ", net/http";
      case "vthreads":
        return "virtual threads, java.net" + jdk;
      case "threads":
        return "platform threads, java.net" + jdk;
      case "jdk-httpserver":
        return "JDK HttpServer on virtual threads" + jdk;
      default:
        return s.name + jdk;
    }
  }

  private static List<Integer> ints(List<String> values) {
    return values.stream()
        .map(Integer::valueOf)
        .sorted(Comparator.naturalOrder())
        .collect(Collectors.toList());
  }
}
