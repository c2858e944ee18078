import Foundation
import Logging
import PostgresNIO
import Synchronization

/// How the feed notices a connection to PostgreSQL that died without a word — a half-open TCP
/// connection: the server's machine lost power, a firewall or NAT dropped the flow — instead of
/// waiting on it for ever.
///
/// - TCP keepalive on the feed's socket (postgres-nio 1.33.2 has no option for it, so the feed
///   opens the socket itself): an idle connection whose peer is gone is closed by the kernel
///   after `keepaliveIdle + keepaliveCount × keepaliveInterval` seconds, and data the peer never
///   acknowledges fails the connection after `TCP_USER_TIMEOUT`.
/// - A deadline on every exchange with PostgreSQL (the start, each transaction): a transaction
///   not answered within `transactionTimeout` closes the connection, and the feed retries.
/// - On PostgreSQL's side of the session: `statement_timeout` and
///   `idle_in_transaction_session_timeout` (so the session of a feed that vanished mid-transaction
///   ends and releases the ledger's checkpoint row to the next one) and PostgreSQL's own keepalives.
public struct FeedTimeouts: Sendable, Equatable {
    /// The longest one transaction (or the start: migrations, the checkpoint read) may wait for
    /// PostgreSQL before the connection is dropped and retried.
    public var transaction: Duration
    /// Seconds of silence before the first keepalive probe, between probes, and probes unanswered
    /// before the connection is dead.
    public var keepaliveIdle: Int
    public var keepaliveInterval: Int
    public var keepaliveCount: Int
    /// TCP connect and PostgreSQL's startup.
    public var connect: Duration

    public init(transaction: Duration = .seconds(120), keepaliveIdle: Int = 30, keepaliveInterval: Int = 10,
                keepaliveCount: Int = 3, connect: Duration = .seconds(10)) {
        self.transaction = transaction
        self.keepaliveIdle = keepaliveIdle
        self.keepaliveInterval = keepaliveInterval
        self.keepaliveCount = keepaliveCount
        self.connect = connect
    }

    /// The session settings that bound a feed's session on PostgreSQL's side.
    var sessionParameters: [(String, String)] {
        let milliseconds = String(transaction.milliseconds)
        return [
            ("statement_timeout", milliseconds),
            ("idle_in_transaction_session_timeout", milliseconds),
            ("tcp_keepalives_idle", String(keepaliveIdle)),
            ("tcp_keepalives_interval", String(keepaliveInterval)),
            ("tcp_keepalives_count", String(keepaliveCount)),
        ]
    }
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
    var timeAmount: TimeAmount { .milliseconds(milliseconds) }
}

extension PostgresConnection {
    /// Connects as `configuration` says, over a TCP socket with keepalive when it names a host.
    static func connectWatched(configuration: PostgresConnection.Configuration, timeouts: FeedTimeouts,
                               applicationName: String, logger: Logger) async throws -> PostgresConnection {
        var configuration = configuration
        configuration.options.connectTimeout = timeouts.connect.timeAmount
        configuration.options.additionalStartupParameters += timeouts.sessionParameters + [("application_name", applicationName)]
        guard let host = configuration.host, let port = configuration.port else {
            return try await connect(configuration: configuration, id: 1, logger: logger)
        }
        // A refused or unreachable address fails here with NIO's error, which the feed retries.
        let channel = try await keepaliveBootstrap(timeouts).connect(host: host, port: port).get()
        var established = PostgresConnection.Configuration(establishedChannel: channel, username: configuration.username,
                                                           password: configuration.password, database: configuration.database)
        established.options = configuration.options
        do {
            // postgres-nio sets the channel's pipeline up from the channel's own event loop.
            return try await connect(on: channel.eventLoop, configuration: established, id: 1, logger: logger)
        } catch {
            try? await channel.close()
            throw error
        }
    }

    private static func keepaliveBootstrap(_ timeouts: FeedTimeouts) -> ClientBootstrap {
        let tcp = NIOBSDSocket.OptionLevel(rawValue: CInt(IPPROTO_TCP))
        func tcpOption(_ name: CInt) -> ChannelOptions.Types.SocketOption {
            ChannelOptions.Types.SocketOption(level: tcp, name: NIOBSDSocket.Option(rawValue: name))
        }
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(timeouts.connect.timeAmount)
            .channelOption(ChannelOptions.socketOption(.so_keepalive), value: 1)
            .channelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
        #if os(Linux)
        bootstrap = bootstrap
            .channelOption(tcpOption(CInt(TCP_KEEPIDLE)), value: timeouts.keepaliveIdle)
            .channelOption(tcpOption(CInt(TCP_KEEPINTVL)), value: timeouts.keepaliveInterval)
            .channelOption(tcpOption(CInt(TCP_KEEPCNT)), value: timeouts.keepaliveCount)
            // Data sent and never acknowledged (the peer vanished mid-COPY) fails the socket too.
            .channelOption(tcpOption(CInt(TCP_USER_TIMEOUT)), value: Int(timeouts.transaction.milliseconds))
        #endif
        return bootstrap
    }
}

/// A deadline on the exchange in flight with PostgreSQL: armed, it closes the connection when
/// PostgreSQL has not answered in time (the closed connection then fails whatever waits on it);
/// `stalled` tells the feed why the connection closed.
final class StallWatch: Sendable {
    let timeout: Duration
    private let connection: PostgresConnection
    private let timer = Mutex<Scheduled<Void>?>(nil)
    private let fired = Atomic<Bool>(false)

    init(_ connection: PostgresConnection, timeout: Duration) {
        self.connection = connection
        self.timeout = timeout
    }

    /// Whether the deadline closed the connection.
    var stalled: Bool { fired.load(ordering: .relaxed) }

    /// Starts (or restarts) the deadline.
    func arm() {
        let scheduled = connection.eventLoop.scheduleTask(in: timeout.timeAmount) { [self] in
            fired.store(true, ordering: .relaxed)
            let _: EventLoopFuture<Void> = connection.close()
        }
        timer.withLock { current in
            current?.cancel()
            current = scheduled
        }
    }

    func disarm() {
        timer.withLock { current in
            current?.cancel()
            current = nil
        }
    }

    /// Runs `operation` under the deadline.
    func guarding<T>(_ operation: () async throws -> T) async throws -> T {
        arm()
        defer { disarm() }
        return try await operation()
    }
}
