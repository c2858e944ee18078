import Foundation
import PostgresNIO
import Testing
import TestSupport

/// The figures of `ledger report … --format json` the comparison reads.
private struct ProcessingTimeJSON: Decodable {
    struct Row: Decodable {
        var key: String
        var completed: Int
        var onTime: Int
        var onTimeRate: Double?
        var actualCompression: Double?
    }
    var total: Row
    var rows: [Row]
}

private struct EvaluationsJSON: Decodable {
    struct Row: Decodable {
        var key: String
        var reviews: Int
        var goodReviews: Int
        var goodReviewRate: Double?
    }
    var total: Row
    var rows: [Row]
}

private struct GoldWindowsJSON: Decodable {
    struct Quarter: Decodable {
        var quarter: String
        var gold: [String]
    }
    var quarters: [Quarter]
}

private func report<R: Decodable>(_ type: R.Type, _ district: TemporaryDirectory, _ arguments: String...) throws -> R {
    let result = try runProcess(try ledgerBinary(), ["report"] + arguments + ["--format", "json", "--store", district.path])
    guard result.status == 0 else { throw FeedTestError("ledger report \(arguments) failed: \(result.stderr)") }
    return try JSONDecoder().decode(R.self, from: Data(result.stdout.utf8))
}

private func close(_ a: Double?, _ b: Double?) -> Bool {
    switch (a, b) {
    case (nil, nil): true
    case let (a?, b?): abs(a - b) <= 1e-12
    default: false
    }
}

extension FeedTests {
    @Test("two districts in one database: per-district and city-wide SQL equal each ledger's own reports",
          .timeLimit(.minutes(5)))
    func twoDistrictsCityWide() async throws {
        let lzh = try simulatedDistrict(cases: 1_500, seed: 11, label: "feed-lzh")
        let ezh = try simulatedDistrict(cases: 1_200, seed: 12, label: "feed-ezh")
        let database = try await TestPostgres.freshDatabase()
        for (district, id) in [(lzh, "LZH"), (ezh, "EZH")] {
            let result = try await ledger("feed", "postgres", "--url", database.url, "--store", district.path, "--ledger-id", id,
                                    "--batch-size", "3000")
            #expect(result.status == 0, "\(result.stderr)")
            try await database.expectShippedExactlyOnce(district, as: id)
        }

        var cityCompleted: [String: (completed: Int, onTime: Int)] = [:]
        var cityReviews: [String: (reviews: Int, good: Int)] = [:]
        for (district, id) in [(lzh, "LZH"), (ezh, "EZH")] {
            // 办理时效 by quarter.
            let processing = try report(ProcessingTimeJSON.self, district, "processing-time", "--by", "quarter")
            let sqlProcessing = try await database.withConnection { connection in
                var rows: [String: ProcessingTimeJSON.Row] = [:]
                for try await (key, completed, onTime, rate, compression) in try await connection.query("""
                    SELECT key, completed, on_time, on_time_rate, actual_compression FROM processing_time
                    WHERE ledger_id = \(id) AND period = 'all' AND dimension IN ('quarter', 'total')
                    """, logger: TestPostgres.logger).decode((String, Int, Int, Double?, Double?).self) {
                    rows[key] = .init(key: key, completed: completed, onTime: onTime, onTimeRate: rate, actualCompression: compression)
                }
                return rows
            }
            #expect(sqlProcessing.count == processing.rows.count + 1, "\(id): every quarter and the total")
            for row in processing.rows + [processing.total] {
                let sql = try #require(sqlProcessing[row.key], "\(id) \(row.key)")
                #expect(sql.completed == row.completed && sql.onTime == row.onTime, "\(id) \(row.key)")
                #expect(close(sql.onTimeRate, row.onTimeRate) && close(sql.actualCompression, row.actualCompression), "\(id) \(row.key)")
                if !row.key.isEmpty {
                    cityCompleted[row.key, default: (0, 0)].completed += row.completed
                    cityCompleted[row.key, default: (0, 0)].onTime += row.onTime
                }
            }
            #expect(processing.total.completed > 0)

            // 好评率 by quarter, and by department within the year's third quarter.
            let evaluations = try report(EvaluationsJSON.self, district, "evaluations", "--by", "quarter")
            for row in evaluations.rows {
                cityReviews[row.key, default: (0, 0)].reviews += row.reviews
                cityReviews[row.key, default: (0, 0)].good += row.goodReviews
            }
            let byDepartment = try report(EvaluationsJSON.self, district, "evaluations", "--by", "department", "--year", "2023", "--quarter", "3")
            let sqlDepartments = try await database.withConnection { connection in
                var rows: [String: EvaluationsJSON.Row] = [:]
                for try await (key, reviews, good, rate) in try await connection.query("""
                    SELECT key, reviews, good_reviews, good_review_rate FROM evaluations
                    WHERE ledger_id = \(id) AND period = '2023Q3' AND dimension IN ('department', 'total')
                    """, logger: TestPostgres.logger).decode((String, Int, Int, Double?).self) {
                    rows[key] = .init(key: key, reviews: reviews, goodReviews: good, goodReviewRate: rate)
                }
                return rows
            }
            #expect(sqlDepartments.count == byDepartment.rows.count + 1)
            for row in byDepartment.rows + [byDepartment.total] {
                let sql = try #require(sqlDepartments[row.key], "\(id) \(row.key)")
                #expect(sql.reviews == row.reviews && sql.goodReviews == row.goodReviews, "\(id) \(row.key)")
                #expect(close(sql.goodReviewRate, row.goodReviewRate), "\(id) \(row.key)")
            }

            // 金牌窗口 of each quarter.
            let gold = try report(GoldWindowsJSON.self, district, "gold-windows")
            let sqlGold = try await database.withConnection { connection in
                var byQuarter: [String: [String]] = [:]
                for try await (quarter, window) in try await connection.query("""
                    SELECT quarter, window_id FROM gold_windows WHERE ledger_id = \(id) AND gold ORDER BY quarter, rank
                    """, logger: TestPostgres.logger).decode((String, String).self) {
                    byQuarter[quarter, default: []].append(window)
                }
                return byQuarter
            }
            #expect(!gold.quarters.isEmpty)
            for quarter in gold.quarters {
                #expect(sqlGold[quarter.quarter] ?? [] == quarter.gold, "\(id) \(quarter.quarter)")
            }
        }

        // City-wide: the views sum the districts' counts and recompute the ratios.
        let city = try await database.withConnection { connection in
            var rows: [String: (Int, Int, Int, Double?)] = [:]
            for try await (quarter, districts, completed, onTime, rate) in try await connection.query("""
                SELECT quarter, districts, completed, on_time, on_time_rate FROM city_processing_time_by_quarter
                """, logger: TestPostgres.logger).decode((String, Int, Int, Int, Double?).self) {
                rows[quarter] = (districts, completed, onTime, rate)
            }
            return rows
        }
        #expect(Set(city.keys) == Set(cityCompleted.keys))
        for (quarter, sums) in cityCompleted {
            let row = try #require(city[quarter])
            #expect(row.0 == 2 && row.1 == sums.completed && row.2 == sums.onTime, "\(quarter)")
            #expect(close(row.3, sums.completed == 0 ? nil : Double(sums.onTime) / Double(sums.completed)), "\(quarter)")
        }
        let cityGood = try await database.withConnection { connection in
            var rows: [String: (Int, Int)] = [:]
            for try await (quarter, reviews, good) in try await connection.query(
                "SELECT quarter, reviews, good_reviews FROM city_evaluations_by_quarter", logger: TestPostgres.logger)
                .decode((String, Int, Int).self) { rows[quarter] = (reviews, good) }
            return rows
        }
        for (quarter, sums) in cityReviews {
            #expect(cityGood[quarter]?.0 == sums.reviews && cityGood[quarter]?.1 == sums.good, "\(quarter)")
        }
        await database.drop()
    }
}
