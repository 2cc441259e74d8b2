package main

// The Go side of bench/net.sh: the minimal keep-alive HTTP/1.1 responder on raw TCP and on
// net/http, an echo server, and the two load clients (idle connections, 1 KB echo).

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const helloBody = "Hello, World!"

var helloResponse = []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
	fmt.Sprint(len(helloBody)) + "\r\n\r\n" + helloBody)

// listen binds addr and prints the bound address, which bench/net.sh waits for.
func listen(addr string) net.Listener {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	fmt.Printf("listening on %s\n", l.Addr())
	return l
}

// serveRawHTTP answers every request head (read up to its blank line) with the fixed response,
// one goroutine per connection; a batch of pipelined requests is answered with one flush.
func serveRawHTTP(addr string) {
	l := listen(addr)
	for {
		c, err := l.Accept()
		if err != nil {
			continue
		}
		go func(c net.Conn) {
			defer c.Close()
			r := bufio.NewReader(c)
			w := bufio.NewWriter(c)
			for {
				line, err := r.ReadSlice('\n')
				if err != nil {
					return
				}
				if len(line) == 2 && line[0] == '\r' || len(line) == 1 {
					w.Write(helloResponse)
					if r.Buffered() == 0 && w.Flush() != nil {
						return
					}
				}
			}
		}(c)
	}
}

// serveNetHTTP is net/http's hello world, for context.
func serveNetHTTP(addr string) {
	l := listen(addr)
	http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, helloBody)
	}))
}

// serveEcho writes back whatever each connection sends.
func serveEcho(addr string) {
	l := listen(addr)
	for {
		c, err := l.Accept()
		if err != nil {
			continue
		}
		go func(c net.Conn) {
			defer c.Close()
			buf := make([]byte, 4096)
			for {
				n, err := c.Read(buf)
				if n > 0 {
					if _, werr := c.Write(buf[:n]); werr != nil {
						return
					}
				}
				if err != nil {
					return
				}
			}
		}(c)
	}
}

// holdIdle opens conns connections to addr, prints "connected N" and keeps them open, sending
// nothing, for the given seconds (bench/net.sh ends it sooner).
func holdIdle(addr string, conns int, seconds float64) {
	held := make([]net.Conn, 0, conns)
	for len(held) < conns {
		c, err := net.DialTimeout("tcp", addr, 10*time.Second)
		if err != nil {
			fmt.Fprintln(os.Stderr, "error: dial:", err)
			os.Exit(1)
		}
		held = append(held, c)
	}
	fmt.Printf("connected %d\n", len(held))
	time.Sleep(time.Duration(seconds * float64(time.Second)))
	for _, c := range held {
		c.Close()
	}
}

// echoLoad runs conns connections that each send a size-byte message and read it back, again and
// again; prints the messages per second over the measured seconds after warm-up.
func echoLoad(addr string, conns, size int, seconds, warmup float64, system string) *result {
	var count int64
	var stop int32
	var failed int32
	var wg sync.WaitGroup
	for i := 0; i < conns; i++ {
		c, err := net.DialTimeout("tcp", addr, 10*time.Second)
		if err != nil {
			fmt.Fprintln(os.Stderr, "error: dial:", err)
			os.Exit(1)
		}
		wg.Add(1)
		go func(c net.Conn) {
			defer wg.Done()
			defer c.Close()
			msg := make([]byte, size)
			back := make([]byte, size)
			for atomic.LoadInt32(&stop) == 0 {
				if _, err := c.Write(msg); err != nil {
					atomic.StoreInt32(&failed, 1)
					return
				}
				if _, err := io.ReadFull(c, back); err != nil {
					atomic.StoreInt32(&failed, 1)
					return
				}
				atomic.AddInt64(&count, 1)
			}
		}(c)
	}
	time.Sleep(time.Duration(warmup * float64(time.Second)))
	n0 := atomic.LoadInt64(&count)
	cpu0 := processCPU()
	t0 := time.Now()
	time.Sleep(time.Duration(seconds * float64(time.Second)))
	n1 := atomic.LoadInt64(&count)
	elapsed := time.Since(t0).Seconds()
	clientCPU := (processCPU() - cpu0).Seconds()
	atomic.StoreInt32(&stop, 1)
	wg.Wait()
	if atomic.LoadInt32(&failed) != 0 {
		fmt.Fprintln(os.Stderr, "error: a connection failed during the run")
		os.Exit(1)
	}
	rate := float64(n1-n0) / elapsed
	return &result{
		config: []string{"workload=tcp-echo", "system=" + system, fmt.Sprintf("conns=%d", conns),
			fmt.Sprintf("size=%d", size)},
		// The client's own CPU share over the measured seconds says whether its core was the
		// ceiling; every message of the whole run (warm-up included) is what the server's CPU,
		// which bench/net.sh reads around this process, is divided by.
		metrics: []string{fmt.Sprintf("msgs_per_s=%.6g", rate),
			fmt.Sprintf("mb_per_s=%.6g", rate*float64(size)/1e6),
			fmt.Sprintf("client_cpu_share=%.3f", clientCPU/elapsed),
			fmt.Sprintf("messages_total=%d", atomic.LoadInt64(&count))},
	}
}

// processCPU is this process's CPU time so far, user and system, every thread.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
