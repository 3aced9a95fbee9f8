import Foundation

/// A UART that ships with nothing: 8-bit registers at offsets and bit positions no shipped family uses, a W1C
/// interrupt status, a field write and a multi-step putc. If the generator were a set of per-family templates,
/// this would not produce a driver that compiles.
enum MadeUpUART {
    static let json = """
    {
      "name": "acme-made-up",
      "title": "ACME made-up test UART",
      "sources": ["invented for xen-board's generator test"],
      "compatibles": ["acme,made-up-uart"],
      "accessWidth": 8,
      "fifoDepth": 8,
      "registers": {
        "STAT": {"offset": "0x05", "bits": {"TXRDY": 3, "RXAVAIL": 6, "RXERR": 7, "BUSY": 1}},
        "CTRL": {"offset": "0x09", "bits": {"EN": 0, "MODE": [1, 2], "TXIE": 4, "RXIE": 5}},
        "ISR": {"offset": "0x0c", "bits": {"TXI": 1, "RXI": 2}},
        "KICK": {"offset": "0x0e"},
        "DATA": {"offset": "0x21", "bits": {"CH": [0, 7], "PAR": 7}}
      },
      "initialize": [
        {"op": "write", "reg": "CTRL", "value": ["MODE=2"]},
        {"op": "keep", "reg": "CTRL", "bits": ["MODE"], "set": ["EN"]},
        {"op": "read", "reg": "ISR"}
      ],
      "transmit": {
        "ready": {"reg": "STAT", "bits": ["TXRDY"], "test": "all"},
        "readyCount": 1,
        "put": [
          {"op": "wait", "until": {"reg": "STAT", "bits": ["BUSY"], "test": "none"}, "timeoutUs": 50},
          {"op": "writeChar", "reg": "DATA"},
          {"op": "write", "reg": "KICK", "value": ["0x5a"]}
        ]
      },
      "receive": {
        "ready": {"reg": "STAT", "bits": ["RXAVAIL", "RXERR"], "test": "any"},
        "data": "DATA",
        "character": ["CH"],
        "errors": ["PAR"],
        "after": [{"op": "write", "reg": "ISR", "value": ["RXI"]}]
      },
      "interrupts": [
        {"kind": "rx", "status": {"reg": "ISR", "bits": ["RXI"]}, "enable": {"reg": "CTRL", "bits": ["RXIE"]}, "acknowledge": {"reg": "ISR", "bits": ["RXI"]}},
        {"kind": "tx", "status": {"reg": "ISR", "bits": ["TXI"]}, "enable": {"reg": "CTRL", "bits": ["TXIE"]}, "acknowledge": {"reg": "ISR", "bits": ["TXI"]}}
      ],
      "vuart": {"data": "DATA", "status": "STAT", "ready": ["TXRDY"]},
      "earlyPrintk": {
        "ready": {"reg": "STAT", "bits": ["TXRDY"], "test": "all"},
        "transmit": [{"op": "writeChar", "reg": "DATA"}, {"op": "write", "reg": "KICK", "value": ["0x5a"]}]
      }
    }
    """
}
