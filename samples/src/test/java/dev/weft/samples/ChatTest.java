package dev.weft.samples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.io.LineReader;
import dev.weft.junit.WeftExtension;
import dev.weft.net.Conn;
import dev.weft.net.Listener;
import dev.weft.net.Net;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The chat server with real clients on 127.0.0.1: the announcements, and messages to everyone. */
@ExtendWith(WeftExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChatTest {
  private Chat chat;
  private String address;

  @BeforeEach
  void start() throws IOException {
    Listener listener = Net.listen("127.0.0.1:0");
    address = HostPort.of(listener.address());
    chat = new Chat(listener);
    Weft.go(() -> chat.serve(System.err));
  }

  @AfterEach
  void stop() {
    chat.close();
  }

  @Test
  void clientsAreToldWhoArrivesWhoLeavesAndWhatEveryoneSays() throws IOException {
    Client a = Client.connect(address);
    a.expect("You are " + a.name);
    a.say("hello"); // every message goes to every client, the sender too:
    a.expect(a.name + ": hello"); // so a has entered once it reads it

    Client b = Client.connect(address);
    b.expect("You are " + b.name);
    a.expect(b.name + " has arrived");
    b.say("hi, a");
    a.expect(b.name + ": hi, a");
    b.expect(b.name + ": hi, a");

    Client c = Client.connect(address);
    c.expect("You are " + c.name);
    a.expect(c.name + " has arrived");
    b.expect(c.name + " has arrived");
    c.say("h\u00e9llo \u20ac"); // UTF-8 both ways
    for (Client x : new Client[] {a, b, c}) {
      x.expect(c.name + ": h\u00e9llo \u20ac");
    }

    b.conn.close();
    a.expect(b.name + " has left");
    c.expect(b.name + " has left");
    c.conn.closeWrite(); // the end of c's input is its leaving, too
    a.expect(c.name + " has left");
    assertNull(c.lines.readLine(), "the server hangs up on a client that has left");
    a.conn.close();
    c.conn.close();
  }

  @Test
  void aClientThatHangsUpAtOnceLeavesTheOthersServed() throws IOException {
    Client a = Client.connect(address);
    a.expect("You are " + a.name);
    a.say("first");
    a.expect(a.name + ": first");
    for (int i = 0; i < 20; i++) {
      Conn quick = Net.dial(address); // connects and leaves before reading anything
      quick.close();
    }
    a.say("still here");
    // Arrivals and departures of the quick clients may come first, in any number.
    String line;
    while (!(line = a.lines.readLine()).equals(a.name + ": still here")) {
      assertTrue(line.endsWith(" has arrived") || line.endsWith(" has left"), line);
    }
    a.conn.close();
  }

  /** One chat client: its connection, its lines, and its name as the server sees it. */
  private static final class Client {
    final Conn conn;
    final LineReader lines;
    final String name;

    private Client(Conn conn) {
      this.conn = conn;
      this.lines = new LineReader(conn);
      this.name = HostPort.of(conn.localAddress());
    }

    @Suspendable
    static Client connect(String address) throws IOException {
      return new Client(Net.dial(address));
    }

    @Suspendable
    void say(String line) throws IOException {
      conn.write((line + "\n").getBytes(UTF_8));
    }

    @Suspendable
    void expect(String line) throws IOException {
      assertEquals(line, lines.readLine(), "what " + name + " read");
    }
  }
}
