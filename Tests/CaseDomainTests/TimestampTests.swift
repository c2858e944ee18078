import CaseDomain
import Ledger
import Testing

/// `Timestamp`: RFC 3339 in, China Standard Time out.
@Suite("Timestamp RFC 3339")
struct TimestampTests {
    /// 2023-09-28T02:00:00Z.
    static let instant: Int64 = 1_695_866_400_000

    @Test(arguments: [
        "2023-09-28T02:00:00Z",
        "2023-09-28T02:00:00z",
        "2023-09-28t02:00:00Z",
        "2023-09-28 02:00:00Z",
        "2023-09-28T10:00:00+08:00",
        "2023-09-27T21:00:00-05:00",
        "2023-09-28T02:00:00+00:00",
        "2023-09-28T02:00:00-00:00",
        "2023-09-28T07:30:00+05:30",
    ])
    func sameInstantInEveryZone(_ text: String) throws {
        #expect(try #require(Timestamp(rfc3339: text)).milliseconds == Self.instant)
    }

    @Test func fractionalSeconds() throws {
        #expect(try #require(Timestamp(rfc3339: "2023-09-28T10:00:00.5+08:00")).milliseconds == Self.instant + 500)
        #expect(try #require(Timestamp(rfc3339: "2023-09-28T10:00:00.123+08:00")).milliseconds == Self.instant + 123)
        #expect(try #require(Timestamp(rfc3339: "2023-09-28T02:00:00.05Z")).milliseconds == Self.instant + 50)
        // Below a millisecond is dropped.
        #expect(try #require(Timestamp(rfc3339: "2023-09-28T02:00:00.123456789Z")).milliseconds == Self.instant + 123)
        #expect(try #require(Timestamp(rfc3339: "2023-09-27T21:00:00.999-05:00")).milliseconds == Self.instant + 999)
    }

    @Test func datesAroundTheEpochAndLeapDays() throws {
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00Z")?.milliseconds == 0)
        #expect(Timestamp(rfc3339: "1970-01-01T08:00:00+08:00")?.milliseconds == 0)
        #expect(Timestamp(rfc3339: "1969-12-31T23:59:59.999Z")?.milliseconds == -1)
        #expect(Timestamp(rfc3339: "2024-02-29T12:00:00+08:00") != nil)
        #expect(Timestamp(rfc3339: "2000-02-29T12:00:00+08:00") != nil)
    }

    @Test(arguments: [
        "",
        "2023-09-28",
        "2023-09-28T10:00:00",            // no zone
        "2023-09-28T10:00:00.123",        // no zone
        "2023-13-01T00:00:00+08:00",      // month 13
        "2023-00-10T00:00:00+08:00",
        "2023-02-29T00:00:00+08:00",      // not a leap year
        "1900-02-29T00:00:00Z",
        "2023-04-31T00:00:00Z",
        "2023-09-00T00:00:00Z",
        "2023-09-28T24:00:00Z",
        "2023-09-28T10:60:00Z",
        "2023-09-28T10:00:60Z",
        "2023-09-28T10:00:00+8:00",
        "2023-09-28T10:00:00+0800",
        "2023-09-28T10:00:00+24:00",
        "2023-09-28T10:00:00+08:60",
        "2023-09-28T10:00:00.Z",
        "2023-09-28T10:00:00Z ",
        " 2023-09-28T10:00:00Z",
        "2023-09-28T10:00:00ZZ",
        "2023-9-28T10:00:00Z",
        "2023-09-28X10:00:00Z",
        "２０２３-09-28T10:00:00Z",
        "2023-09-28T10:00:00 CST",
    ])
    func invalidTextsAreNil(_ text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test func chinaTimeIsChinaStandardTime() {
        #expect(Timestamp(milliseconds: Self.instant).chinaTime == "2023-09-28T10:00:00+08:00")
        #expect(Timestamp(milliseconds: Self.instant + 7).chinaTime == "2023-09-28T10:00:00.007+08:00")
        #expect(Timestamp(milliseconds: 0).chinaTime == "1970-01-01T08:00:00+08:00")
        #expect(Timestamp(milliseconds: -1).chinaTime == "1970-01-01T07:59:59.999+08:00")
        // 16:30Z is already the next day in China.
        #expect(Timestamp(rfc3339: "2023-12-31T16:30:00Z")?.chinaTime == "2024-01-01T00:30:00+08:00")
    }

    @Test("the store's own description is UTC: the log knows no time zone")
    func descriptionIsUTC() {
        #expect(Timestamp(milliseconds: Self.instant).description == "2023-09-28T02:00:00Z")
        #expect(Timestamp(milliseconds: -1).description == "1969-12-31T23:59:59.999Z")
    }

    @Test(arguments: ["2023-09-28T10:00:00+08:00", "2023-09-27T21:00:00.250-05:00", "2024-02-29T23:59:59.999Z"])
    func descriptionParsesBackToTheSameInstant(_ text: String) throws {
        let ts = try #require(Timestamp(rfc3339: text))
        #expect(Timestamp(rfc3339: ts.description) == ts)
        #expect(Timestamp(rfc3339: ts.chinaTime) == ts)
        #expect(ts.chinaTime.hasSuffix("+08:00"))
    }

    @Test func chinaDayNumberAndOrdering() throws {
        let evening = try #require(Timestamp(rfc3339: "2023-09-28T23:59:59+08:00"))
        let midnight = try #require(Timestamp(rfc3339: "2023-09-28T16:00:00Z"))
        #expect(midnight.chinaDayNumber == evening.chinaDayNumber + 1)
        #expect(evening < midnight)
        #expect(evening.chinaDayNumber == Int64(try CivilDate(year: 2023, month: 9, day: 28).dayNumber))
    }
}
