// Command bench runs the Go side of Weft's whole-program comparisons: the same four workloads
// as dev.weft.bench.compare.Compare, printing the same RESULT lines.
//
//	go build -o weft-go-bench . && GOMAXPROCS=1 ./weft-go-bench pingpong -seconds 3
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	seconds := fs.Float64("seconds", 3, "measured seconds (pingpong, cliche)")
	warmup := fs.Float64("warmup", 1, "warm-up seconds (pingpong)")
	stages := fs.Int("stages", 100000, "pipeline stages")
	messages := fs.Int("messages", 5, "values timed through the pipeline")
	size := fs.Int("size", 2048, "Mandelbrot width and height")
	iterations := fs.Int("iterations", 200, "Mandelbrot iterations")
	runs := fs.Int("runs", 5, "timed Mandelbrot renders")
	warmups := fs.Int("warmups", 6, "untimed Mandelbrot renders first")
	rounds := fs.Int("rounds", 3, "measured rounds (fanin, select, echo)")
	procs := fs.Int("procs", runtime.GOMAXPROCS(0), "GOMAXPROCS")
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on or dial (network programs)")
	conns := fs.Int("conns", 100, "connections (idle, echoload)")
	msgSize := fs.Int("size-bytes", 1024, "message size (echoload)")
	system := fs.String("system", "go", "the server's name in the RESULT line (echoload)")
	fs.Parse(os.Args[2:])
	if *procs < 1 || *stages < 1 || *messages < 1 || *size < 16 || *iterations < 1 || *runs < 1 || *rounds < 1 {
		fmt.Fprintln(os.Stderr, "error: every count must be positive (size at least 16)")
		usage()
	}
	runtime.GOMAXPROCS(*procs)

	switch os.Args[1] { // the network programs of bench/net.sh
	case "httpraw":
		serveRawHTTP(*addr)
		return
	case "nethttp":
		serveNetHTTP(*addr)
		return
	case "echoserver":
		serveEcho(*addr)
		return
	case "idle":
		holdIdle(*addr, *conns, *seconds)
		return
	case "echoload":
		echoLoad(*addr, *conns, *msgSize, *seconds, *warmup, *system).print()
		return
	}

	var r *result
	switch os.Args[1] {
	case "pingpong":
		r = pingPong(*seconds, *warmup)
	case "pipeline":
		r = pipeline(*stages, *messages)
	case "mandelbrot":
		r = mandelbrot(*size, *iterations, *runs, *warmups)
	case "cliche":
		r = cliche(*seconds)
	case "fanin":
		r = fanIn(*seconds, *warmup, *rounds)
	case "select":
		r = selectIn(*seconds, *warmup, *rounds)
	case "echo":
		r = echo(*seconds, *warmup, *rounds)
	default:
		usage()
	}
	r.config = append([]string{"workload=" + os.Args[1], "system=go"}, r.config...)
	r.config = append(r.config, fmt.Sprintf("procs=%d", *procs))
	r.print()
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: weft-go-bench pingpong|pipeline|mandelbrot|cliche|fanin|select|echo [-procs P] [-seconds S] [-warmup S] [-stages N] [-messages M] [-size N] [-iterations N] [-runs R] [-warmups W] [-rounds R]")
	fmt.Fprintln(os.Stderr, "       weft-go-bench httpraw|nethttp|echoserver [-addr HOST:PORT]      (servers, until killed)")
	fmt.Fprintln(os.Stderr, "       weft-go-bench idle -addr HOST:PORT -conns N               (holds N idle connections for -seconds)")
	fmt.Fprintln(os.Stderr, "       weft-go-bench echoload -addr HOST:PORT [-conns N] [-size-bytes B] [-seconds S] [-warmup S] [-system NAME]")
	os.Exit(2)
}

// result is one RESULT line: what was run, then what was measured.
type result struct {
	config  []string
	metrics []string
}

func (r *result) metric(name string, v float64) *result {
	r.metrics = append(r.metrics, fmt.Sprintf("%s=%.6g", name, v))
	return r
}

func (r *result) print() {
	fmt.Printf("RESULT %s | %s\n", strings.Join(r.config, " "), strings.Join(r.metrics, " "))
}

func median(ns []int64) int64 {
	sort.Slice(ns, func(i, j int) bool { return ns[i] < ns[j] })
	return ns[len(ns)/2]
}
