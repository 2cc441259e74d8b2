package main

import (
	"sync"
	"time"
)

// cliche is the hacker cliché of section 9.8.4: two goroutines that never block print 0s and 1s
// into a shared counting sink until a deadline; at GOMAXPROCS=1 both digits appear only through
// preemption.
func cliche(seconds float64) *result {
	var s sink
	deadline := time.Now().Add(time.Duration(seconds * float64(time.Second)))
	var wg sync.WaitGroup
	wg.Add(2)
	for d := 0; d < 2; d++ {
		go func(d int) {
			defer wg.Done()
			for time.Now().Before(deadline) && s.print(d) {
			}
		}(d)
	}
	wg.Wait()
	s.close()
	s.mu.Lock()
	defer s.mu.Unlock()
	zeros, ones := float64(s.counts[0]), float64(s.counts[1])
	minority := zeros
	if ones < zeros {
		minority = ones
	}
	total := zeros + ones
	if total == 0 {
		total = 1
	}
	return (&result{}).metric("zeros", zeros).metric("ones", ones).
		metric("switches_per_s", float64(s.switches)/seconds).
		metric("minority_share", minority/total)
}

type sink struct {
	mu       sync.Mutex
	counts   [2]int64
	last     int
	switches int64
	closed   bool
}

func (s *sink) print(d int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.counts[d]++
	if s.counts[0]+s.counts[1] > 1 && d != s.last {
		s.switches++
	}
	s.last = d
	return true
}

func (s *sink) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
}
