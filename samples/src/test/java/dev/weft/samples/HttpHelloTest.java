package dev.weft.samples;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.junit.WeftExtension;
import dev.weft.net.Conn;
import dev.weft.net.Listener;
import dev.weft.net.Net;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** HttpHello answers keep-alive and pipelined requests, from a raw socket and the JDK's client. */
@ExtendWith(WeftExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpHelloTest {
  private static final String RESPONSE =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!";
  private static final String GET = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";

  private Listener listener;

  @BeforeEach
  void start() throws IOException {
    listener = Net.listen("127.0.0.1:0");
    Weft.go(() -> HttpHello.serve(listener));
  }

  @AfterEach
  void stop() {
    listener.close();
  }

  @Test
  void answersEveryRequestOnOneConnectionPipelinedOrNot() throws IOException {
    try (Conn c = Net.dial(HostPort.of(listener.address()))) {
      c.write(GET.getBytes(US_ASCII));
      assertEquals(RESPONSE, read(c, RESPONSE.length()));
      c.write((GET + GET + GET).getBytes(US_ASCII)); // pipelined
      assertEquals(RESPONSE.repeat(3), read(c, 3 * RESPONSE.length()));
      // A head cut anywhere, even inside its blank line, is answered once it is whole.
      byte[] cut = GET.getBytes(US_ASCII);
      c.write(cut, 0, cut.length - 1);
      c.write(cut, cut.length - 1, 1);
      assertEquals(RESPONSE, read(c, RESPONSE.length()));
    }
  }

  @Test
  void headsLongerThanTheReadBufferAndManyPipelinedOnesAreAllAnswered() throws IOException {
    // The read buffer starts at 256 bytes and grows to 4 KB: a 10 KB head spans many reads at
    // every size, and 200 pipelined heads fill the buffer at once.
    String longHead = "GET / HTTP/1.1\r\nHost: test\r\nX-Long: " + "x".repeat(10_000) + "\r\n\r\n";
    try (Conn c = Net.dial(HostPort.of(listener.address()))) {
      c.write(longHead.getBytes(US_ASCII));
      assertEquals(RESPONSE, read(c, RESPONSE.length()));
      c.write(GET.repeat(200).getBytes(US_ASCII));
      assertEquals(RESPONSE.repeat(200), read(c, 200 * RESPONSE.length()));
      c.write((longHead + GET).getBytes(US_ASCII));
      assertEquals(RESPONSE.repeat(2), read(c, 2 * RESPONSE.length()));
    }
  }

  @Test
  void theJdkHttpClientGetsHelloWorldTwiceOverItsKeptAliveConnection() {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest get =
        HttpRequest.newBuilder(URI.create("http://" + HostPort.of(listener.address()) + "/"))
            .build();
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = Weft.await(client.sendAsync(get, HttpResponse.BodyHandlers.ofString()));
      assertEquals(200, r.statusCode());
      assertEquals("Hello, World!", r.body());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    }
  }

  @Test
  void aBadListenAddressIsAUsageError() throws Exception {
    Captured c = Captured.run(HttpHello::run, "--listen", "nowhere");
    assertEquals(CommandLine.USAGE_STATUS, c.status, c.toString());
    assertTrue(c.err.contains("nowhere"), c.toString());
  }

  /** Exactly {@code n} bytes from {@code c}, as ASCII. */
  @Suspendable
  private static String read(Conn c, int n) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(n);
    while (buf.hasRemaining()) {
      if (c.read(buf) < 0) {
        break;
      }
    }
    return new String(buf.array(), 0, buf.position(), US_ASCII);
  }
}
