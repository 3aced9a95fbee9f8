import Foundation

/// The files behind one run of `ProcessRunner`: stdout (or the caller's log), stderr and stdin, in the temporary
/// directory, removed afterwards (the log excepted).
final class ProcessFiles {
    let outURL: URL
    let errURL: URL
    let inURL: URL
    let keepOut: Bool
    let merge: Bool
    private(set) var startOffset: UInt64 = 0

    init(tool: String, log: URL?, merge: Bool, stdin: [UInt8]?) throws(ProcessFailure) {
        let fm = FileManager.default
        // Named like every scratch entry (`.xb-scratch-PID-…`): files of a run that was SIGKILLed are swept by the next.
        StaleStaging.sweepTemporaryDirectoryOnce()
        let scratch = fm.temporaryDirectory.appendingPathComponent(StaleStaging.entryName(.scratch, tag: "process"))
        outURL = log ?? scratch.appendingPathExtension("out")
        errURL = scratch.appendingPathExtension("err")
        inURL = scratch.appendingPathExtension("in")
        keepOut = log != nil
        self.merge = merge
        if !fm.fileExists(atPath: outURL.path), !fm.createFile(atPath: outURL.path, contents: nil) {
            throw .launch(tool, "cannot create \(outURL.path)")
        }
        guard merge || fm.createFile(atPath: errURL.path, contents: nil) else { throw .launch(tool, "cannot create \(errURL.path)") }
        if let stdin, !fm.createFile(atPath: inURL.path, contents: Data(stdin)) { throw .launch(tool, "cannot create \(inURL.path)") }
    }

    /// Connects the files to `process`, starts it and runs `wait` while it runs.
    /// `input`, when given, is the tool's stdin instead of the stdin file.
    func launch<T>(_ process: Process, _ tool: String, input: Pipe? = nil, wait: () throws(ProcessFailure) -> T) throws(ProcessFailure) -> T {
        do {
            let out = try FileHandle(forWritingTo: outURL)
            startOffset = try out.seekToEnd()
            let err = merge ? out : try FileHandle(forWritingTo: errURL)
            defer {
                try? out.close()
                if !merge { try? err.close() }
            }
            process.standardOutput = out
            process.standardError = err
            if let input {
                process.standardInput = input
            } else {
                process.standardInput = FileManager.default.fileExists(atPath: inURL.path)
                    ? try FileHandle(forReadingFrom: inURL) : FileHandle.nullDevice
            }
            try process.run()
        } catch {
            throw .launch(tool, error.localizedDescription)
        }
        let value = try wait()
        process.waitUntilExit()
        return value
    }

    /// Reads what the process appended to stdout since the last call.
    func reader() -> OutputReader? {
        guard let handle = try? FileHandle(forReadingFrom: outURL), (try? handle.seek(toOffset: startOffset)) != nil else { return nil }
        return OutputReader(handle: handle)
    }

    func result(status: Int32, timedOut: Bool, stopped: Bool) -> ProcessResult {
        var bytes: [UInt8] = []
        if let read = try? FileHandle(forReadingFrom: outURL) {
            defer { try? read.close() }
            if (try? read.seek(toOffset: startOffset)) != nil, let data = try? read.readToEnd() { bytes = [UInt8](data) }
        }
        let stderr = merge ? "" : ((try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
        return ProcessResult(status: status, stdout: String(decoding: bytes, as: UTF8.self), stderr: stderr,
                             timedOut: timedOut, stopped: stopped, stdoutBytes: bytes)
    }

    func remove() {
        let fm = FileManager.default
        if !keepOut { try? fm.removeItem(at: outURL) }
        try? fm.removeItem(at: errURL)
        try? fm.removeItem(at: inURL)
    }
}

/// Streams a growing output file; holds back an incomplete UTF-8 sequence at the end of a read until it completes.
struct OutputReader {
    let handle: FileHandle
    private var pending: [UInt8] = []

    init(handle: FileHandle) { self.handle = handle }

    mutating func next() -> String? {
        guard let data = try? handle.readToEnd(), !data.isEmpty else { return nil }
        var bytes = pending + [UInt8](data)
        pending = []
        var cut = bytes.count
        // Back up over continuation bytes to the lead byte of a possibly unfinished character.
        var back = 0
        while back < 3, cut - back - 1 >= 0, bytes[cut - back - 1] & 0xC0 == 0x80 { back += 1 }
        if cut - back - 1 >= 0 {
            let lead = bytes[cut - back - 1]
            let need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            if need > back + 1 { cut = cut - back - 1 }
        }
        pending = Array(bytes[cut...])
        bytes.removeSubrange(cut...)
        return String(decoding: bytes, as: UTF8.self)
    }
}
