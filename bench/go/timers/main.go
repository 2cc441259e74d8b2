// Command timers is the Go side of Weft's timer benchmark (dev.weft.bench.timers.TimerBench):
// N goroutines each sleep a random 1 to 50 ms, R times; it prints one RESULT line with the mean,
// median, p99 and worst lateness and the process's CPU time (user and system): in all and while the goroutines ran.
//
//	go build -o weft-go-timers ./timers && ./weft-go-timers -procs 1 -fibers 100000 -rounds 20
package main

import (
	"flag"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"syscall"
	"time"
)

func main() {
	procs := flag.Int("procs", 1, "GOMAXPROCS")
	fibers := flag.Int("fibers", 100000, "goroutines")
	rounds := flag.Int("rounds", 20, "sleeps per goroutine")
	flag.Parse()
	runtime.GOMAXPROCS(*procs)
	n, r := *fibers, *rounds
	late := make([]int64, n*r)
	cpu0 := cpuTime()
	t0 := time.Now()
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func(id int) {
			sleeper(id, r, late)
			wg.Done()
		}(i)
	}
	wg.Wait()
	wall := time.Since(t0)
	cpu := cpuTime()
	if len(late) == 0 {
		late = []int64{0} // -rounds 0: no sleeps, only the fixed cost
	}
	sort.Slice(late, func(i, j int) bool { return late[i] < late[j] })
	var sum float64
	for _, l := range late {
		sum += float64(l)
	}
	fmt.Printf("RESULT workload=timers system=go go=%s procs=%d fibers=%d rounds=%d |"+
		" late_mean_ms=%.6g late_p50_ms=%.6g late_p99_ms=%.6g late_max_ms=%.6g wall_s=%.6g cpu_s=%.6g cpu_run_s=%.6g\n",
		runtime.Version(), *procs, n, r,
		sum/float64(len(late))/1e6, float64(late[len(late)/2])/1e6,
		float64(late[int(float64(len(late))*0.99)])/1e6, float64(late[len(late)-1])/1e6,
		wall.Seconds(), cpu.Seconds(), (cpu - cpu0).Seconds())
}

// sleeper draws its delays from an xorshift generator seeded by its index, as the Java program does.
func sleeper(id, rounds int, late []int64) {
	x := uint32(id)*0x9E3779B9 + 1
	if x == 0 {
		x = 1
	}
	for k := 0; k < rounds; k++ {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		d := time.Duration(1+x%50) * time.Millisecond
		start := time.Now()
		time.Sleep(d)
		late[id*rounds+k] = int64(time.Since(start) - d)
	}
}

// cpuTime is the process's CPU time so far, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
