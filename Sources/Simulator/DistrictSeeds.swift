// The simulator is being written; see issue 3.
