import DeviceTree
import Foundation
import TestSupport
import XCTest



func tree(_ dts: String, symbols: Bool = false) throws -> DeviceTree { try decodeDTS(dts, symbols: symbols) }

func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
