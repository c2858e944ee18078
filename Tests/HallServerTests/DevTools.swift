import Foundation
import Logging
import NIOCore
import Synchronization
import TestSupport
import WSClient

/// A headless Chromium driven over the DevTools protocol (CDP): the browser test's hands and eyes.
final class HeadlessChromium: Sendable {
    let process: Process
    let profile: TemporaryDirectory
    let devTools: DevToolsConnection

    /// Debian's package; the test is skipped where it is not installed.
    static let executable = "/usr/bin/chromium"
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    init() async throws {
        profile = TemporaryDirectory("hall-chromium")
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=\(profile.path)", "about:blank"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Chromium writes the port it chose and the browser's path into the profile.
        let portFile = profile.appending("DevToolsActivePort")
        var lines: [Substring] = []
        for _ in 0 ..< 300 {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8) {
                lines = text.split(separator: "\n")
                if lines.count >= 2 { break }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard lines.count >= 2 else {
            process.terminate()
            throw DevToolsError("Chromium did not open its DevTools port")
        }
        devTools = DevToolsConnection(url: "ws://127.0.0.1:\(lines[0])\(lines[1])")
    }

    /// A new tab, attached: its commands carry the returned session.
    func newPage(width: Int = 1366, height: Int = 768) async throws -> DevToolsPage {
        let target = try await devTools.send("Target.createTarget", ["url": "about:blank"])
        guard let targetID = target["targetId"] as? String else { throw DevToolsError("no targetId") }
        let attached = try await devTools.send("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        guard let session = attached["sessionId"] as? String else { throw DevToolsError("no sessionId") }
        let page = DevToolsPage(connection: devTools, session: session)
        _ = try await page.send("Page.enable")
        _ = try await page.send("Network.enable")
        _ = try await page.send("Emulation.setDeviceMetricsOverride",
                                ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 700])
        return page
    }

    func close() {
        devTools.close()
        process.terminate()
        process.waitUntilExit()
    }
}

struct DevToolsError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One tab of the browser.
struct DevToolsPage: Sendable {
    let connection: DevToolsConnection
    let session: String

    func send(_ method: String, _ parameters: [String: any Sendable] = [:]) async throws -> [String: Any] {
        try await connection.send(method, parameters, session: session)
    }

    /// Navigates and waits until the document has loaded.
    func open(_ url: String) async throws {
        _ = try await send("Page.navigate", ["url": url])
        try await waitUntil("document.readyState === 'complete' && location.href === \(Self.quoted(url))")
    }

    /// The value of a JavaScript expression (JSON-able).
    func evaluate(_ expression: String) async throws -> Any? {
        let result = try await send("Runtime.evaluate", ["expression": expression, "returnByValue": true])
        if let exception = result["exceptionDetails"] { throw DevToolsError("script failed: \(exception)") }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Polls `condition` (a boolean expression) every 20 ms for up to `seconds`.
    @discardableResult
    func waitUntil(_ condition: String, seconds: Double = 10) async throws -> Duration {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < .milliseconds(Int(seconds * 1000)) {
            if try await evaluate("Boolean(\(condition))") as? Bool == true { return ContinuousClock.now - started }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw DevToolsError("timed out waiting for: \(condition)")
    }

    func screenshot(to path: String) async throws {
        let result = try await send("Page.captureScreenshot", ["format": "png"])
        guard let base64 = result["data"] as? String, let data = Data(base64Encoded: base64) else { throw DevToolsError("no screenshot") }
        try data.write(to: URL(fileURLWithPath: path))
    }

    static func quoted(_ s: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [s]), as: UTF8.self).dropFirst().dropLast().description
    }
}

/// The WebSocket to the browser: commands go out with an id; the answer with that id comes back.
final class DevToolsConnection: Sendable {
    private struct State {
        var nextID = 0
        var pending: [Int: CheckedContinuation<Data, any Error>] = [:]
        var closed = false
    }
    private final class Box: Sendable {
        let state = Mutex(State())
    }
    private let box: Box
    private let outbound: AsyncStream<String>.Continuation
    private let task: Task<Void, Never>

    init(url: String) {
        let (stream, outbound) = AsyncStream<String>.makeStream()
        self.outbound = outbound
        let box = Box()
        self.box = box
        task = Task {
            do {
                try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 1 << 26),
                                                  logger: Logger(label: "devtools")) { inbound, writer, _ in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { for await text in stream { try await writer.write(.text(text)) } }
                        for try await message in inbound.messages(maxSize: 1 << 26) {
                            guard case .text(let text) = message else { continue }
                            let data = Data(text.utf8)
                            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                                  let id = object["id"] as? Int else { continue }
                            let waiter = box.state.withLock { $0.pending.removeValue(forKey: id) }
                            waiter?.resume(returning: data)
                        }
                        group.cancelAll()
                    }
                }
            } catch {}
            let waiters = box.state.withLock { state -> [CheckedContinuation<Data, any Error>] in
                state.closed = true
                defer { state.pending.removeAll() }
                return Array(state.pending.values)
            }
            for waiter in waiters { waiter.resume(throwing: DevToolsError("the DevTools connection closed")) }
        }
    }

    /// Sends a command and returns its `result` (throws its `error`).
    func send(_ method: String, _ parameters: [String: any Sendable] = [:], session: String? = nil) async throws -> [String: Any] {
        let data: Data = try await withTimeout(seconds: 20) {
            try await withCheckedThrowingContinuation { continuation in
                let id = self.box.state.withLock { state -> Int? in
                    if state.closed { return nil }
                    state.nextID += 1
                    state.pending[state.nextID] = continuation
                    return state.nextID
                }
                guard let id else { return continuation.resume(throwing: DevToolsError("the DevTools connection closed")) }
                var message: [String: Any] = ["id": id, "method": method, "params": parameters]
                if let session { message["sessionId"] = session }
                let text = String(decoding: (try? JSONSerialization.data(withJSONObject: message)) ?? Data(), as: UTF8.self)
                self.outbound.yield(text)
            }
        }
        let object = (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        if let error = object["error"] { throw DevToolsError("\(method): \(error)") }
        return (object["result"] as? [String: Any]) ?? [:]
    }

    func close() {
        outbound.finish()
        task.cancel()
    }
}
