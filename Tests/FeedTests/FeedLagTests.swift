@testable import Feed
import Testing

/// The feed's lag as /metrics shows it: events and seconds behind, and its health.
@Suite("The feed's lag and health")
struct FeedLagTests {
    @Test("lag in seconds runs from the commit of the oldest event not yet shipped, and is 0 once shipped")
    func secondsFromTheOldestUnshippedCommit() {
        let lag = FeedLag(ledgerID: "LAG")
        let start = ContinuousClock.now
        #expect(lag.seconds(at: start) == 0 && lag.events == 0)

        lag.update(shipped: 10, head: 10)
        lag.noteCommit(at: start)
        lag.noteCommit(at: start + .seconds(1))      // the same unsighted run: its first commit counts
        lag.observe(head: 12)
        #expect(lag.events == 2)
        #expect(lag.seconds(at: start + .seconds(3)) == 3)

        lag.noteCommit(at: start + .seconds(4))
        lag.observe(head: 15)
        lag.update(shipped: 12)                      // the first run shipped: the next one's commit counts
        #expect(lag.events == 3)
        #expect(lag.seconds(at: start + .seconds(6)) == 2)

        lag.update(shipped: 15)
        #expect(lag.events == 0 && lag.seconds(at: start + .seconds(9)) == 0)
    }

    @Test("a head seen again or lower does not move the lag back; health records each failure until a round ships")
    func healthAndCounts() {
        let lag = FeedLag(ledgerID: "LAG")
        lag.observe(head: 20)
        lag.observe(head: 5)
        #expect(lag.head == 20)
        #expect(lag.health == .shipping)
        lag.fail(.unreachable("no route"))
        lag.fail(.unreachable("no route"))
        #expect(lag.health.isUnreachable && !lag.health.isFailing && lag.errors == 2)
        lag.fail(.failing("refused"))
        #expect(lag.health.isFailing && !lag.health.isUnreachable)
        lag.recover()
        lag.shippedBatch(events: 7)
        lag.shippedBatch(events: 0)
        #expect(lag.health == .shipping && lag.errors == 3 && lag.batchesShipped == 2 && lag.eventsShipped == 7)
    }
}
