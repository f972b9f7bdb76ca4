#include "camlsym/tools/demangle_command.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "camlsym/tools/json.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

struct Result {
  int status;
  std::string out;
  std::string err;
};

std::string ReadAll(std::FILE* f) {
  std::rewind(f);
  std::string s;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  return s;
}

// Runs RunDemangle with standard input \p in and temporary files standing
// for stdout/stderr; \p after_run (if any) runs once RunDemangle returned,
// before \p in is closed.
Result RunWithStdin(const std::vector<std::string>& args, std::FILE* in,
                    const std::function<void()>& after_run = nullptr) {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  Result r;
  r.status = RunDemangle(args, in, out, err);
  if (after_run) after_run();
  r.out = ReadAll(out);
  r.err = ReadAll(err);
  std::fclose(in);
  std::fclose(out);
  std::fclose(err);
  return r;
}

// Runs RunDemangle over temporary files standing for stdin/stdout/stderr.
Result RunVerb(const std::vector<std::string>& args, const std::string& input) {
  std::FILE* in = std::tmpfile();
  std::fwrite(input.data(), 1, input.size(), in);
  std::rewind(in);
  return RunWithStdin(args, in);
}

TEST(DemangleCommandTest, PlainArguments) {
  Result r = RunVerb({"camlStdlib__List__map_123", "_camlFoo$$$3e$$3e$$3d_12",
                      "caml_alloc", "main"},
                     "");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "Stdlib.List.map\nFoo.>>=\ncaml_alloc\nmain\n");
  EXPECT_EQ(r.err, "");
}

TEST(DemangleCommandTest, FiltersStdinPassingOtherBytesThrough) {
  std::string input =
      "0000000000000000 T camlStdlib__List__map_123\n"
      "  in camlStdlib__Hashtbl__Make_951, calls caml_curry3 and caml_alloc.\n"
      "at camlFoo__bar_12. end\n"
      "\xff\x01 binary\tcamlStdlib__12\x7f\n"
      "no newline camlStdlib.anon_fn$5bstdlib.ml$3a334$2c0$2d$2d54$5d_1453";
  Result r = RunVerb({}, input);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out,
            "0000000000000000 T Stdlib.List.map\n"
            "  in Stdlib.Hashtbl.Make, calls caml_curry3 and caml_alloc.\n"
            "at Foo.bar. end\n"
            "\xff\x01 binary\tStdlib.<const_12>\x7f\n"
            "no newline Stdlib.anon_fn[stdlib.ml:334,0--54]");
}

TEST(DemangleCommandTest, FilterKeepsNulBytes) {
  std::string input("a\0camlFoo__x_1\0b\n", 17);
  Result r = RunVerb({}, input);
  EXPECT_EQ(r.out, std::string("a\0Foo.x\0b\n", 10));
}

TEST(DemangleCommandTest, JsonArguments) {
  Result r = RunVerb({"--json", "camlStdlib__List__map_123", "camlStdlib__List",
                      "caml_exn_Not_found", "not_a_symbol"},
                     "");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out,
            "{\"symbol\": \"camlStdlib__List__map_123\", \"scheme\": "
            "\"ocaml-4.13\", \"schemes\": [\"ocaml-4.13\"], \"category\": "
            "\"function_or_value\", \"unit\": \"Stdlib__List\", \"name\": "
            "\"map\", \"stamp\": 123, \"plain\": \"Stdlib.List.map\", "
            "\"ambiguous\": false, \"readings\": []}\n"
            "{\"symbol\": \"camlStdlib__List\", \"scheme\": \"ocaml-4.13\", "
            "\"schemes\": [\"ocaml-4.13\", \"ocaml-5.1\", \"ocaml-5.4\"], "
            "\"category\": \"module_block\", \"unit\": \"Stdlib__List\", "
            "\"name\": \"\", \"stamp\": null, \"plain\": \"Stdlib.List\", "
            "\"ambiguous\": false, \"readings\": []}\n"
            "{\"symbol\": \"caml_exn_Not_found\", \"scheme\": \"ocaml-4.13\", "
            "\"schemes\": [\"ocaml-4.13\", \"ocaml-5.1\", \"ocaml-5.4\"], "
            "\"category\": \"predefined_exception\", \"unit\": \"\", "
            "\"name\": \"Not_found\", \"stamp\": null, \"plain\": "
            "\"Not_found\", \"ambiguous\": false, \"readings\": []}\n");
}

TEST(DemangleCommandTest, JsonFromStdinGivesLineAndByteOffsets) {
  const std::string input =
      "x camlStdlib.List.code_begin y _camlA$b_1\nplain text\n"
      "\xc3\xa9 camlX$27y__f_81.\n";
  Result r = RunVerb({"--json"}, input);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out,
            "{\"symbol\": \"camlStdlib.List.code_begin\", \"line\": 1, "
            "\"offset\": 2, \"length\": 26, \"scheme\": \"ocaml-5.1\", "
            "\"schemes\": [\"ocaml-5.1\"], \"category\": \"unit_marker\", "
            "\"unit\": \"Stdlib.List\", \"name\": \"code_begin\", \"stamp\": "
            "null, \"plain\": \"Stdlib.List.<code_begin>\", \"ambiguous\": "
            "false, \"readings\": []}\n"
            "{\"symbol\": \"_camlA$b_1\", \"line\": 1, \"offset\": 31, "
            "\"length\": 10, \"scheme\": \"ocaml-5.4\", \"schemes\": "
            "[\"ocaml-5.4\"], \"category\": \"function_or_value\", \"unit\": "
            "\"A\", \"name\": \"b\", \"stamp\": 1, \"plain\": \"A.b\", "
            "\"ambiguous\": false, \"readings\": []}\n"
            "{\"symbol\": \"camlX$27y__f_81\", \"line\": 3, \"offset\": 3, "
            "\"length\": 15, \"scheme\": \"ocaml-4.13\", \"schemes\": "
            "[\"ocaml-4.13\"], \"category\": \"function_or_value\", \"unit\": "
            "\"X'y\", \"name\": \"f\", \"stamp\": 81, \"plain\": \"X'y.f\", "
            "\"ambiguous\": false, \"readings\": []}\n");
  // The offsets locate the symbols in the input lines.
  EXPECT_EQ(input.substr(2, 26), "camlStdlib.List.code_begin");
  EXPECT_EQ(input.substr(31, 10), "_camlA$b_1");
  std::size_t line3 = input.find("\xc3\xa9");
  EXPECT_EQ(input.substr(line3 + 3, 15), "camlX$27y__f_81");
}

TEST(DemangleCommandTest, JsonReportsAmbiguity) {
  Result r = RunVerb({"--json", "camlA_b__c__f_83"}, "");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out,
            "{\"symbol\": \"camlA_b__c__f_83\", \"scheme\": \"ocaml-4.13\", "
            "\"schemes\": [\"ocaml-4.13\"], \"category\": "
            "\"function_or_value\", \"unit\": \"A_b\", \"name\": \"c__f\", "
            "\"stamp\": 83, \"plain\": \"A_b.c__f\", \"ambiguous\": true, "
            "\"readings\": [{\"scheme\": \"ocaml-4.13\", \"schemes\": "
            "[\"ocaml-4.13\"], \"category\": \"function_or_value\", \"unit\": "
            "\"A_b__c\", \"name\": \"f\", \"stamp\": 83, \"plain\": "
            "\"A_b__c.f\"}]}\n");
}

TEST(DemangleCommandTest, JsonEscapesAnyBytes) {
  // `$22` is `"`, `$5c` is `\`, `$e9` a lone Latin-1 byte.
  Result r = RunVerb({"--json", "camlFoo__a$22$5c$e9_7"}, "");
  EXPECT_NE(r.out.find("\"name\": \"a\\\"\\\\\\u00e9\""), std::string::npos)
      << r.out;
  std::string s;
  AppendJsonString("\xc3\xa9\x01\x7f\xed\xa0\x80", s);  // é, controls, UTF-16
  EXPECT_EQ(s, "\"\xc3\xa9\\u0001\\u007f\\u00ed\\u00a0\\u0080\"");
}

TEST(DemangleCommandTest, KeepStamps) {
  Result r = RunVerb({"--keep-stamps"},
                     "camlStdlib__List.map_289 camlFoo__fun_12 camlFoo__fun_13"
                     " camlFoo__1\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "Stdlib.List.map_289 Foo.fun_12 Foo.fun_13 Foo.<const_1>\n");
  Result plain = RunVerb({}, "camlFoo__fun_12 camlFoo__fun_13\n");
  EXPECT_EQ(plain.out, "Foo.fun Foo.fun\n");
  Result help = RunVerb({"--help"}, "");
  EXPECT_NE(help.out.find("--keep-stamps"), std::string::npos);
  EXPECT_NE(help.out.find("collisions"), std::string::npos);
}

// Runs RunDemangle with standard input a pipe that a thread fills with
// \p input, in writes of at most 4000 bytes, and standard output a file.
Result RunVerbOnPipe(const std::vector<std::string>& args,
                     const std::string& input) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0) << std::strerror(errno);
  std::thread writer([&] {
    for (std::size_t at = 0; at < input.size();) {
      const std::size_t n = std::min<std::size_t>(4000, input.size() - at);
      const ssize_t w = write(fds[1], input.data() + at, n);
      if (w <= 0) break;
      at += static_cast<std::size_t>(w);
    }
    close(fds[1]);
  });
  return RunWithStdin(args, fdopen(fds[0], "r"), [&] { writer.join(); });
}

// A regular file on standard input is mapped, a pipe is read in blocks:
// both give the same output, over more input than a block (256 KiB), with
// symbols straddling every block boundary of the pipe and of the mapping's
// rewriting, and a last line without newline.
TEST(DemangleCommandTest, MappedFileAndPipeGiveTheSameOutput) {
  // Lines of 13 to 61 bytes, so that symbols fall across any boundary.
  std::string input;
  std::string want;
  for (int i = 0; input.size() < 3 * (std::size_t{1} << 18) + 5000; ++i) {
    const std::string pad(static_cast<std::size_t>(i % 7), ' ');
    input += pad + "T camlStdlib__List__map_289 " + std::to_string(i) + " " +
             pad + (i % 3 == 0 ? "camlFoo.bar_12\n" : "caml_alloc\n");
    want += pad + "T Stdlib.List.map " + std::to_string(i) + " " + pad +
            (i % 3 == 0 ? "Foo.bar\n" : "caml_alloc\n");
  }
  input += "last camlStdlib__List__map_289";
  want += "last Stdlib.List.map";
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{}, {"--json"}}) {
    SCOPED_TRACE(args.empty() ? "plain" : args[0]);
    Result file = RunVerb(args, input);
    Result piped = RunVerbOnPipe(args, input);
    EXPECT_EQ(file.status, 0);
    EXPECT_EQ(piped.status, 0);
    EXPECT_EQ(file.err, "");
    EXPECT_TRUE(file.out == piped.out) << "outputs differ";
    if (args.empty()) {
      EXPECT_TRUE(file.out == want) << "plain output is not the rendering";
    } else {
      // The last line is read after the mapping: its line number follows.
      const std::size_t lines = static_cast<std::size_t>(std::count(
                                    input.begin(), input.end(), '\n')) +
                                1;
      EXPECT_NE(file.out.find("{\"symbol\": \"camlStdlib__List__map_289\", "
                              "\"line\": " +
                              std::to_string(lines) + ", \"offset\": 5,"),
                std::string::npos);
    }
  }
}

TEST(DemangleCommandTest, LongLinesAndManyChunks) {
  // Lines longer than a block (256 KiB), and more input than one block,
  // from a mapped file and from a pipe.
  std::string line;
  for (int i = 0; i < 25000; ++i) line += "camlFoo__x_1 ";
  std::string input = line + "\n" + line;
  std::string want_line;
  for (int i = 0; i < 25000; ++i) want_line += "Foo.x ";
  for (bool pipe : {false, true}) {
    SCOPED_TRACE(pipe ? "pipe" : "file");
    Result r = pipe ? RunVerbOnPipe({}, input) : RunVerb({}, input);
    EXPECT_TRUE(r.out == want_line + "\n" + want_line);
    Result j =
        pipe ? RunVerbOnPipe({"--json"}, input) : RunVerb({"--json"}, input);
    EXPECT_NE(j.out.find("\"line\": 2, \"offset\": 324987,"),
              std::string::npos);
  }
}

// Standard input is read from its current offset, mapped or not.
TEST(DemangleCommandTest, MappedFileStartsAtTheCurrentOffset) {
  std::FILE* in = std::tmpfile();
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  // An offset past the first page, not on a page boundary.
  const std::string skipped(5000, 'x');
  std::fputs((skipped + "\ncamlFoo__x_1\n").c_str(), in);
  ASSERT_EQ(std::fflush(in), 0);
  ASSERT_EQ(lseek(fileno(in), static_cast<off_t>(skipped.size() + 1), SEEK_SET),
            static_cast<off_t>(skipped.size() + 1));
  EXPECT_EQ(RunDemangle({}, in, out, err), 0);
  EXPECT_EQ(ReadAll(out), "Foo.x\n");
  // The whole input was consumed.
  EXPECT_EQ(lseek(fileno(in), 0, SEEK_CUR),
            static_cast<off_t>(skipped.size() + 14));
  std::fclose(in);
  std::fclose(out);
  std::fclose(err);
}

// A mapped standard input that another process truncates while it is
// being read raises SIGBUS: reported as a read error, status 1.
TEST(DemangleCommandDeathTest, TruncatedMappedInputIsAReadError) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        std::FILE* in = std::tmpfile();
        std::string input;
        while (input.size() < 4 * (std::size_t{1} << 20)) {
          input += "T camlStdlib__List__map_289\n";
        }
        std::fwrite(input.data(), 1, input.size(), in);
        std::rewind(in);
        int fds[2];
        if (pipe(fds) != 0) _exit(2);
        const int capacity = fcntl(fds[1], F_SETPIPE_SZ, 65536);
        if (capacity <= 0) _exit(2);
        std::FILE* out = fdopen(fds[1], "w");
        // Once the output pipe is full (the filter waits in write(2)
        // after its first block), the input is truncated, then drained.
        std::thread reader([&] {
          int queued = 0;
          while (ioctl(fds[0], FIONREAD, &queued) == 0 && queued < capacity) {
            usleep(1000);
          }
          if (ftruncate(fileno(in), 0) != 0) _exit(3);
          char buf[65536];
          while (read(fds[0], buf, sizeof buf) > 0) {
          }
        });
        reader.detach();
        RunDemangle({}, in, out, stderr);
        _exit(4);  // Not reached: the input shrank under the mapping.
      },
      ::testing::ExitedWithCode(1),
      "camlsym demangle: read error: standard input was truncated while "
      "being read");
}

// Write errors (EPIPE: the reader is gone, SIGPIPE ignored) and read
// errors (EISDIR) are reported and give status 1.
TEST(DemangleCommandTest, ReadAndWriteErrors) {
  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction previous;
  ASSERT_EQ(sigaction(SIGPIPE, &ignore, &previous), 0);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  close(fds[0]);
  std::FILE* in = std::tmpfile();
  std::FILE* out = fdopen(fds[1], "w");
  std::FILE* err = std::tmpfile();
  std::fputs("camlFoo__x_1\n", in);
  std::rewind(in);
  EXPECT_EQ(RunDemangle({}, in, out, err), 1);
  EXPECT_EQ(ReadAll(err), "camlsym demangle: write error\n");
  std::fclose(in);
  std::fclose(out);
  std::fclose(err);
  sigaction(SIGPIPE, &previous, nullptr);

  std::FILE* dir = std::fopen(::testing::TempDir().c_str(), "r");
  ASSERT_NE(dir, nullptr);
  out = std::tmpfile();
  err = std::tmpfile();
  EXPECT_EQ(RunDemangle({}, dir, out, err), 1);
  EXPECT_EQ(ReadAll(err), "camlsym demangle: read error: Is a directory\n");
  std::fclose(dir);
  std::fclose(out);
  std::fclose(err);
}

TEST(DemangleCommandTest, UnitsErrors) {
  Result missing = RunVerb({"--units", "/nonexistent/prog", "camlFoo"}, "");
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("/nonexistent/prog"), std::string::npos)
      << missing.err;
  Result no_path = RunVerb({"--units"}, "");
  EXPECT_EQ(no_path.status, 2);
  EXPECT_NE(no_path.err.find("missing PATH after '--units'"),
            std::string::npos);
  // A text file is none of the kinds --units reads.
  std::string text = ::testing::TempDir() + "/demangle_units_text.cmx";
  std::FILE* f = std::fopen(text.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs("hello\n", f);
  std::fclose(f);
  Result bad = RunVerb({"--units", text, "camlFoo"}, "");
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.err.find(text + ": not a .cmx file"), std::string::npos)
      << bad.err;
  std::string elf = ::testing::TempDir() + "/demangle_units_text";
  f = std::fopen(elf.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs(
      "\x7f"
      "ELF",
      f);
  std::fclose(f);
  Result not_exe = RunVerb({"--units", elf, "camlFoo"}, "");
  EXPECT_EQ(not_exe.status, 1);
  EXPECT_NE(not_exe.err.find(elf + ": not a readable ELF file"),
            std::string::npos)
      << not_exe.err;
}

TEST(DemangleCommandTest, UnknownOptionExits2) {
  Result r = RunVerb({"--bogus", "camlFoo"}, "");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("unknown option '--bogus'"), std::string::npos);
  EXPECT_NE(r.err.find("usage: camlsym demangle"), std::string::npos);
}

TEST(DemangleCommandTest, DoubleDashEndsOptions) {
  Result r = RunVerb({"--", "--json"}, "");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "--json\n");
}

// On a terminal each line is flushed as soon as it is demangled, so that
// `perf script | camlsym demangle` streams: the first line's rendering
// reaches the terminal while standard input is still open.
TEST(DemangleCommandTest, FlushesEachLineOnATerminal) {
  int master = -1;
  int slave = -1;
  ASSERT_EQ(openpty(&master, &slave, nullptr, nullptr, nullptr), 0)
      << std::strerror(errno);
  termios raw;
  ASSERT_EQ(tcgetattr(slave, &raw), 0);
  cfmakeraw(&raw);  // No `\n` -> `\r\n`.
  ASSERT_EQ(tcsetattr(slave, TCSANOW, &raw), 0);
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  std::FILE* in = fdopen(pipe_fds[0], "r");
  std::FILE* out = fdopen(slave, "w");
  std::FILE* err = std::tmpfile();
  ASSERT_NE(in, nullptr);
  ASSERT_NE(out, nullptr);
  int status = -1;
  std::thread filter([&] { status = RunDemangle({}, in, out, err); });
  auto read_line = [master] {
    std::string got;
    char c;
    pollfd p{master, POLLIN, 0};
    while (got.empty() || got.back() != '\n') {
      if (poll(&p, 1, 10000) != 1 || read(master, &c, 1) != 1) break;
      got.push_back(c);
    }
    return got;
  };
  const std::string first = "1 T camlStdlib__List__map_289\n";
  ASSERT_EQ(write(pipe_fds[1], first.data(), first.size()),
            static_cast<ssize_t>(first.size()));
  EXPECT_EQ(read_line(), "1 T Stdlib.List.map\n");
  const std::string second = "2 T camlFoo.bar_12\n";
  ASSERT_EQ(write(pipe_fds[1], second.data(), second.size()),
            static_cast<ssize_t>(second.size()));
  EXPECT_EQ(read_line(), "2 T Foo.bar\n");
  close(pipe_fds[1]);
  filter.join();
  EXPECT_EQ(status, 0);
  std::fclose(in);
  std::fclose(out);
  std::fclose(err);
  close(master);
}

}  // namespace
}  // namespace camlsym
