#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The `main` of every fuzz executable. Built with `-sanitize=fuzzer -DFUZZING` (scripts/fuzz.sh) it hands control
/// to libFuzzer through `LLVMFuzzerRunDriver` (SwiftPM links an executable's `main` to the module's own entry
/// point, so libFuzzer's `main` cannot be used); in a normal build it replays the files it is given, one input each.
public enum FuzzDriver {
    public typealias Callback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    public static func main(_ callback: Callback) -> Never {
        if CommandLine.arguments.dropFirst().first == "--make-seeds" {
            exit(FuzzSeeds.make(arguments: Array(CommandLine.arguments.dropFirst(2))))
        }
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
        #else
        let files = CommandLine.arguments.dropFirst()
        guard !files.isEmpty else {
            FileHandle.standardError.write(Data("usage: \(CommandLine.arguments[0]) INPUT... (replays each input once; build with scripts/fuzz.sh to fuzz)\n".utf8))
            exit(2)
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("\(file): cannot read\n".utf8))
                exit(1)
            }
            let bytes = [UInt8](data)
            _ = bytes.withUnsafeBufferPointer { callback($0.baseAddress, $0.count) }
        }
        exit(0)
        #endif
    }

    /// Turns libFuzzer's pointer and length into an array (a null pointer is the empty input).
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                                 _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                                 _ callback: FuzzDriver.Callback) -> CInt
#endif
