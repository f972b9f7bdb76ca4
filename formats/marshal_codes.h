// The byte codes and header magics of OCaml's Marshal format, shared by the
// reader and the writer.
//
// Mirrors: runtime/caml/intext.h (OCaml 4.13.1).

#ifndef CAMLSYM_FORMATS_MARSHAL_CODES_H_
#define CAMLSYM_FORMATS_MARSHAL_CODES_H_

#include <cstdint>

namespace camlsym::formats::marshal_codes {

/// Magic of the 20-byte "small" header (four 32-bit big-endian fields).
inline constexpr uint32_t kMagicSmall = 0x8495A6BE;
/// Magic of the 32-byte "big" header (64-bit big-endian fields).
inline constexpr uint32_t kMagicBig = 0x8495A6BF;
inline constexpr uint64_t kSmallHeaderSizeBytes = 20;
inline constexpr uint64_t kBigHeaderSizeBytes = 32;

inline constexpr uint8_t kPrefixSmallBlock = 0x80;
inline constexpr uint8_t kPrefixSmallInt = 0x40;
inline constexpr uint8_t kPrefixSmallString = 0x20;
inline constexpr uint8_t kCodeInt8 = 0x00;
inline constexpr uint8_t kCodeInt16 = 0x01;
inline constexpr uint8_t kCodeInt32 = 0x02;
inline constexpr uint8_t kCodeInt64 = 0x03;
inline constexpr uint8_t kCodeShared8 = 0x04;
inline constexpr uint8_t kCodeShared16 = 0x05;
inline constexpr uint8_t kCodeShared32 = 0x06;
inline constexpr uint8_t kCodeShared64 = 0x14;
inline constexpr uint8_t kCodeBlock32 = 0x08;
inline constexpr uint8_t kCodeBlock64 = 0x13;
inline constexpr uint8_t kCodeString8 = 0x09;
inline constexpr uint8_t kCodeString32 = 0x0A;
inline constexpr uint8_t kCodeString64 = 0x15;
inline constexpr uint8_t kCodeDoubleBig = 0x0B;
inline constexpr uint8_t kCodeDoubleLittle = 0x0C;
inline constexpr uint8_t kCodeDoubleArray8Big = 0x0D;
inline constexpr uint8_t kCodeDoubleArray8Little = 0x0E;
inline constexpr uint8_t kCodeDoubleArray32Big = 0x0F;
inline constexpr uint8_t kCodeDoubleArray32Little = 0x07;
inline constexpr uint8_t kCodeDoubleArray64Big = 0x16;
inline constexpr uint8_t kCodeDoubleArray64Little = 0x17;
inline constexpr uint8_t kCodeCodepointer = 0x10;
inline constexpr uint8_t kCodeInfixpointer = 0x11;
inline constexpr uint8_t kCodeCustom = 0x12;  // Deprecated.
inline constexpr uint8_t kCodeCustomLen = 0x18;
inline constexpr uint8_t kCodeCustomFixed = 0x19;

}  // namespace camlsym::formats::marshal_codes

#endif  // CAMLSYM_FORMATS_MARSHAL_CODES_H_
