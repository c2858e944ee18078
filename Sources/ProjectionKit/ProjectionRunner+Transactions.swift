extension ProjectionRunner {
    /// The views' read transactions open at this moment in this process.
    public var openReadTransactions: Int { environment.openReadTransactions }
}
