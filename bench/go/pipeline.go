package main

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// pipeline joins n goroutines with unbuffered channels (exercise 9.4) and measures it as the Java
// side does. Memory per parked stage is the growth of heap in use plus stacks in use after a
// collection, so that it counts what Java's heap figure counts; the RSS growth is reported too.
func pipeline(n, messages int) *result {
	heap0 := liveBytes()
	rss0 := residentBytes()
	head := make(chan int)
	tail := head
	t0 := time.Now()
	for i := 0; i < n; i++ {
		in, out := tail, make(chan int)
		go func() {
			for v := range in {
				out <- v
			}
			close(out)
		}()
		tail = out
	}
	setup := time.Since(t0)
	first := transit(head, tail)
	heap := float64(liveBytes()-heap0) / float64(n)
	rss := float64(residentBytes()-rss0) / float64(n)
	transits := make([]int64, messages)
	for i := range transits {
		transits[i] = int64(transit(head, tail))
	}
	close(head)
	for range tail {
	}
	med := median(transits)
	r := &result{config: []string{"stages=" + strconv.Itoa(n)}}
	return r.metric("setup_s", setup.Seconds()).
		metric("first_transit_ms", float64(first)/1e6).
		metric("transit_ms", float64(med)/1e6).
		metric("ns_per_hop", float64(med)/float64(n)).
		metric("heap_bytes_per_stage", heap).
		metric("rss_bytes_per_stage", rss)
}

func transit(head chan<- int, tail <-chan int) time.Duration {
	t0 := time.Now()
	head <- 1
	<-tail
	return time.Since(t0)
}

// liveBytes is heap objects plus goroutine stacks in use, after a full collection.
func liveBytes() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc + m.StackInuse)
}

// residentBytes reads VmRSS from /proc/self/status; 0 where there is none.
func residentBytes() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}
