import FuzzTargets

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTargets.boardFile(FuzzDriver.bytes(data, size))
    return 0
}

@main
enum FuzzMain {
    static func main() { FuzzDriver.main(fuzzOneInput) }
}
