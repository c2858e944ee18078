import Foundation
import PostgresNIO

extension PostgresConnection.Configuration {
    /// A configuration from `postgres://user[:password]@host[:port]/database` (`postgresql://`
    /// too). TLS is not used: the feed talks to a server on a trusted network or loopback.
    public init(feedURL url: String) throws(FeedError) {
        guard let components = URLComponents(string: url) else { throw .invalidURL(url, reason: "not a URL") }
        guard components.scheme == "postgres" || components.scheme == "postgresql" else {
            throw .invalidURL(url, reason: "the scheme must be postgres://")
        }
        guard let host = components.host, !host.isEmpty else { throw .invalidURL(url, reason: "no host") }
        guard let user = components.user, !user.isEmpty else { throw .invalidURL(url, reason: "no user") }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.isEmpty else { throw .invalidURL(url, reason: "no database") }
        if let mode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value, mode != "disable" {
            throw .invalidURL(url, reason: "sslmode \(mode) is not supported, only sslmode=disable")
        }
        self.init(host: host, port: components.port ?? 5432, username: user,
                  password: components.password, database: database, tls: .disable)
    }
}
