// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/qr.hpp"

#include <png.h>
#include <qrencode.h>

#include <cerrno>
#include <csetjmp>
#include <memory>
#include <mutex>

#include "common/config_error.hpp"

namespace wechatpay {
namespace {

constexpr int kMaxModuleSize = 64;
constexpr int kMaxQuietZone = 16;

// Version 40 capacities in 8-bit mode (ISO/IEC 18004 table 7), for the error message only:
// libqrencode decides what fits.
std::size_t MaxBytes(QrErrorCorrection level) {
  switch (level) {
    case QrErrorCorrection::kLow:
      return 2953;
    case QrErrorCorrection::kMedium:
      return 2331;
    case QrErrorCorrection::kQuartile:
      return 1663;
    case QrErrorCorrection::kHigh:
      return 1273;
  }
  return 0;
}

QRecLevel ToQrencode(QrErrorCorrection level) {
  switch (level) {
    case QrErrorCorrection::kLow:
      return QR_ECLEVEL_L;
    case QrErrorCorrection::kMedium:
      return QR_ECLEVEL_M;
    case QrErrorCorrection::kQuartile:
      return QR_ECLEVEL_Q;
    case QrErrorCorrection::kHigh:
      return QR_ECLEVEL_H;
  }
  return QR_ECLEVEL_M;
}

char const* LevelName(QrErrorCorrection level) {
  switch (level) {
    case QrErrorCorrection::kLow:
      return "L";
    case QrErrorCorrection::kMedium:
      return "M";
    case QrErrorCorrection::kQuartile:
      return "Q";
    case QrErrorCorrection::kHigh:
      return "H";
  }
  return "?";
}

Status CheckOptions(QrOptions const& options) {
  if (options.module_size < 1 || options.module_size > kMaxModuleSize) {
    return internal::InvalidArgument("module_size", "module_size must be 1 to " +
                                                        std::to_string(kMaxModuleSize) + " (got " +
                                                        std::to_string(options.module_size) + ")");
  }
  if (options.quiet_zone < 0 || options.quiet_zone > kMaxQuietZone) {
    return internal::InvalidArgument("quiet_zone", "quiet_zone must be 0 to " +
                                                       std::to_string(kMaxQuietZone) + " (got " +
                                                       std::to_string(options.quiet_zone) + ")");
  }
  return Status();
}

struct QrcodeDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

// The symbol with its quiet zone, which is what every renderer draws.
class PaddedSymbol {
 public:
  PaddedSymbol(QrMatrix matrix, int quiet_zone)
      : matrix_(std::move(matrix)), quiet_zone_(quiet_zone) {}

  int side() const { return matrix_.size + 2 * quiet_zone_; }

  // Coordinates include the quiet zone; anything outside the symbol is light.
  bool Dark(int x, int y) const {
    int const mx = x - quiet_zone_;
    int const my = y - quiet_zone_;
    if (mx < 0 || my < 0 || mx >= matrix_.size || my >= matrix_.size) return false;
    return matrix_.Dark(mx, my);
  }

 private:
  QrMatrix matrix_;
  int quiet_zone_;
};

StatusOr<PaddedSymbol> Prepare(std::string_view text, QrOptions const& options) {
  if (auto status = CheckOptions(options); !status.ok()) return status;
  auto matrix = EncodeQr(text, options.error_correction);
  if (!matrix) return matrix.status();
  return PaddedSymbol(*std::move(matrix), options.quiet_zone);
}

// libpng reports errors with longjmp, which must not cross frames holding C++ objects with
// destructors. Everything libpng touches between setjmp and the end lives in this plain struct
// or behind raw pointers owned by the caller.
struct PngSink {
  std::string* out;
  bool failed;
};

void PngWrite(png_structp png, png_bytep data, png_size_t length) {
  auto* sink = static_cast<PngSink*>(png_get_io_ptr(png));
  try {
    sink->out->append(reinterpret_cast<char const*>(data), length);
  } catch (...) {
    // An exception must not unwind through libpng's C frames; turn it into a libpng error.
    sink->failed = true;
    png_error(png, "out of memory");
  }
}

void PngFlush(png_structp) {}

// Writes `rows` (each `row_bytes` long, 1 bit per pixel, 0 = black) as a `pixels` square PNG.
// Returns false when libpng fails.
bool WritePng(std::uint32_t pixels, std::vector<png_bytep> const& rows, PngSink* sink) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (png == nullptr) return false;
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_write_struct(&png, nullptr);
    return false;
  }
  // No object with a destructor is created from here to the end of the function.
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, sink, PngWrite, PngFlush);
  png_set_IHDR(png, info, pixels, pixels, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, const_cast<png_bytepp>(rows.data()));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

StatusOr<QrMatrix> EncodeQr(std::string_view text, QrErrorCorrection level) {
  if (text.empty()) return internal::InvalidArgument("text", "text must not be empty");
  // Checked here for a clear message (and so the size always fits libqrencode's int).
  if (text.size() > MaxBytes(level)) {
    return internal::InvalidArgument("text", "text is " + std::to_string(text.size()) +
                                                 " bytes; a QR code at error-correction level " +
                                                 LevelName(level) + " holds at most " +
                                                 std::to_string(MaxBytes(level)) + " bytes");
  }
  std::unique_ptr<QRcode, QrcodeDeleter> code;
  int error = 0;
  {
    // libqrencode is thread-safe only when it was built with pthreads (Debian's is, other
    // builds need not be); encoding takes microseconds, so serialising it costs nothing.
    static std::mutex mu;
    std::lock_guard<std::mutex> lock(mu);
    errno = 0;
    // QRcode_encodeData: 8-bit mode for every byte, so nothing is reinterpreted (the string
    // variants would stop at a NUL or switch to Kanji/alphanumeric modes); version 0 = the
    // smallest that fits.
    code.reset(QRcode_encodeData(static_cast<int>(text.size()),
                                 reinterpret_cast<unsigned char const*>(text.data()), 0,
                                 ToQrencode(level)));
    error = errno;
  }
  if (!code) {
    if (error == ERANGE) {
      return internal::InvalidArgument("text", "text is " + std::to_string(text.size()) +
                                                   " bytes, too long for a QR code at "
                                                   "error-correction level " +
                                                   LevelName(level));
    }
    return Status(StatusCode::kInternal,
                  "libqrencode failed to encode the text (errno " + std::to_string(error) + ")");
  }
  QrMatrix matrix;
  matrix.size = code->width;
  auto const count = static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width);
  matrix.modules.resize(count);
  // Bit 0 of each libqrencode byte is the module colour; the other bits describe its role.
  for (std::size_t i = 0; i < count; ++i) matrix.modules[i] = code->data[i] & 1U;
  return matrix;
}

StatusOr<std::string> RenderQrTerminal(std::string_view text, QrOptions const& options) {
  auto symbol = Prepare(text, options);
  if (!symbol) return symbol.status();
  bool const ink_is_light = options.terminal_colors == QrTerminalColors::kLightOnDark;
  int const side = symbol->side();
  // Rows past the bottom edge (odd side) are the terminal's background, never ink.
  auto ink = [&](int x, int y) {
    if (y >= side) return false;
    return symbol->Dark(x, y) != ink_is_light;
  };
  std::string out;
  out.reserve(static_cast<std::size_t>((side + 1) / 2) * (static_cast<std::size_t>(side) * 3 + 1));
  for (int y = 0; y < side; y += 2) {
    for (int x = 0; x < side; ++x) {
      bool const top = ink(x, y);
      bool const bottom = ink(x, y + 1);
      if (top && bottom) {
        out += "\u2588";  // █
      } else if (top) {
        out += "\u2580";  // ▀
      } else if (bottom) {
        out += "\u2584";  // ▄
      } else {
        out += ' ';
      }
    }
    out += '\n';
  }
  return out;
}

StatusOr<std::string> RenderQrSvg(std::string_view text, QrOptions const& options) {
  auto symbol = Prepare(text, options);
  if (!symbol) return symbol.status();
  int const side = symbol->side();
  std::string const pixels = std::to_string(side * options.module_size);
  std::string const units = std::to_string(side);
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" +
      pixels + "\" height=\"" + pixels + "\" viewBox=\"0 0 " + units + " " + units +
      "\" shape-rendering=\"crispEdges\">\n"
      "<rect width=\"" +
      units + "\" height=\"" + units + "\" fill=\"#ffffff\"/>\n<path fill=\"#000000\" d=\"";
  // One rectangle per horizontal run of dark modules keeps the path short.
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side;) {
      if (!symbol->Dark(x, y)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < side && symbol->Dark(x + run, y)) ++run;
      out += "M" + std::to_string(x) + " " + std::to_string(y) + "h" + std::to_string(run) +
             "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  }
  out += "\"/>\n</svg>\n";
  return out;
}

StatusOr<std::string> RenderQrPng(std::string_view text, QrOptions const& options) {
  auto symbol = Prepare(text, options);
  if (!symbol) return symbol.status();
  int const side = symbol->side();
  auto const pixels = static_cast<std::uint32_t>(side * options.module_size);
  std::size_t const row_bytes = (pixels + 7) / 8;
  // One packed 1-bit row per module row, repeated module_size times: rows may alias.
  std::vector<std::vector<png_byte>> module_rows(static_cast<std::size_t>(side));
  std::vector<png_bytep> rows;
  rows.reserve(pixels);
  for (int y = 0; y < side; ++y) {
    auto& row = module_rows[static_cast<std::size_t>(y)];
    row.assign(row_bytes, 0xFF);  // 1 = white in greyscale
    for (std::uint32_t px = 0; px < pixels; ++px) {
      if (symbol->Dark(static_cast<int>(px) / options.module_size, y)) {
        row[px / 8] = static_cast<png_byte>(row[px / 8] & ~(0x80U >> (px % 8)));
      }
    }
    for (int repeat = 0; repeat < options.module_size; ++repeat) rows.push_back(row.data());
  }
  std::string out;
  PngSink sink{&out, false};
  if (!WritePng(pixels, rows, &sink)) {
    return Status(StatusCode::kInternal, sink.failed ? "out of memory writing the QR code image"
                                                     : "libpng failed to write the QR code image");
  }
  return out;
}

}  // namespace wechatpay
