import ArgumentParser

@main
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "An event-sourced, hash-chained case ledger for a government service hall.",
        subcommands: [
            Demo.self, Import.self, Export.self, History.self, Digest.self, Verify.self, Stats.self,
            Project.self, Case.self, Queue.self, Due.self, Overdue.self, BadReviews.self, Report.self,
            Key.self, Checkpoint.self, Prove.self, Check.self,
            Repair.self, Backup.self, Restore.self,
            ApplicantCommand.self,
            Serve.self, Token.self,
            Grant.self,
            Feed.self,
        ]
    )
}
