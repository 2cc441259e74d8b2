package dev.weft.samples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.weft.Channel;
import dev.weft.Select;
import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.io.LineReader;
import dev.weft.net.Conn;
import dev.weft.net.Listener;
import dev.weft.net.Net;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The chat server of <i>The Go Programming Language</i>, section 8.10: every line a client sends
 * goes to every client, and clients are told who arrives and who leaves.
 *
 * <pre>{@code
 * ./weft run Chat --listen 127.0.0.1:8000
 * ./weft run Netcat --connect 127.0.0.1:8000     # in two or more other terminals
 * }</pre>
 *
 * <p>As in the book: one <em>broadcaster</em> fiber owns the set of clients, and nobody else
 * touches it; it learns of clients entering and leaving, and of messages, over three channels.
 * Each connection has a fiber that reads its lines ({@link LineReader} over the {@link Conn}) and
 * a writer fiber that drains the client's own channel into the connection. A fiber waiting for a
 * line holds no thread: thousands of quiet clients cost their buffers, not threads.
 *
 * <p>Unlike the book's program, a {@code Chat} can be stopped ({@link #close}), so that tests and
 * embedders can run it and end it.
 */
public final class Chat implements AutoCloseable {
  static final Options OPTIONS =
      new Options("usage: Chat [--listen HOST:PORT]   (default 127.0.0.1:8000)").value("listen");

  private final Listener listener;
  private final Channel<Channel<String>> entering = Channel.make();
  private final Channel<Channel<String>> leaving = Channel.make();
  private final Channel<String> messages = Channel.make(); // every incoming client message
  /** Closed by {@link #close}: the broadcaster and every blocked announcement give up. */
  private final Channel<Void> done = Channel.make();

  private volatile boolean closed;

  /** A chat server that will accept on {@code listener}; nothing runs before {@link #serve}. */
  public Chat(Listener listener) {
    this.listener = listener;
  }

  /** Runs the sample; see the class comment. */
  public static void main(String[] args) throws Exception {
    CommandLine.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    return CommandLine.run(
        OPTIONS,
        args,
        out,
        err,
        (o, stdout, stderr) -> {
          Listener listener = Listeners.open(o.text("listen", "127.0.0.1:8000"));
          stdout.println("Chat: listening on " + HostPort.of(listener.address()));
          Chat chat = new Chat(listener);
          Weft.run(() -> chat.serve(stderr));
        });
  }

  /**
   * Starts the broadcaster, then accepts clients until {@link #close}, each in a fiber of its own.
   * Accept errors other than the close are printed to {@code log} and the loop goes on, as the
   * book's loop does.
   */
  @Suspendable
  public void serve(PrintStream log) {
    Weft.go(this::broadcaster);
    while (true) {
      Conn conn;
      try {
        conn = listener.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        log.println("Chat: accept: " + e.getMessage());
        Weft.sleep(10); // a failing accept (out of file descriptors) must not spin
        continue;
      }
      Weft.go(() -> handleConn(conn));
    }
  }

  /** Stops accepting and ends the broadcaster; connected clients are left to hang up. */
  @Override
  public void close() {
    closed = true;
    listener.close();
    done.close();
  }

  @Suspendable
  private void broadcaster() {
    Set<Channel<String>> clients = new LinkedHashSet<>(); // all connected clients
    Select.Case<String> message = Select.receive(messages);
    Select.Case<Channel<String>> enter = Select.receive(entering);
    Select.Case<Channel<String>> leave = Select.receive(leaving);
    Select.Case<Void> stop = Select.receive(done);
    while (true) {
      switch (Select.select(message, enter, leave, stop)) {
        case 0:
          // Broadcast the incoming message to every client's outgoing channel.
          for (Channel<String> client : clients) {
            client.send(message.value());
          }
          break;
        case 1:
          clients.add(enter.value());
          break;
        case 2:
          clients.remove(leave.value());
          leave.value().close();
          break;
        default:
          for (Channel<String> client : clients) {
            client.close();
          }
          return;
      }
    }
  }

  @Suspendable
  private void handleConn(Conn conn) {
    Channel<String> ch = Channel.make(); // outgoing client messages
    Weft.go(() -> clientWriter(conn, ch));

    String who = HostPort.of(conn.remoteAddress());
    ch.send("You are " + who);
    if (announce(messages, who + " has arrived") && announce(entering, ch)) {
      LineReader input = new LineReader(conn);
      try {
        for (String line; (line = input.readLine()) != null; ) {
          if (!announce(messages, who + ": " + line)) {
            break;
          }
        }
      } catch (IOException e) {
        // The connection broke: the client has left, as at the end of its input.
      }
      if (announce(leaving, ch)) {
        announce(messages, who + " has left");
      }
    } else {
      ch.close();
    }
    conn.close();
  }

  /** Sends {@code value} unless the chat is closed first; false when it was. */
  @Suspendable
  private <T> boolean announce(Channel<T> to, T value) {
    return Select.select(Select.send(to, value), Select.receive(done)) == 0;
  }

  @Suspendable
  private static void clientWriter(Conn conn, Channel<String> ch) {
    for (String msg; (msg = ch.receive()) != null; ) {
      try {
        conn.write((msg + "\n").getBytes(UTF_8));
      } catch (IOException e) {
        // The client is gone; keep draining so that the broadcaster never waits on it.
      }
    }
  }
}
