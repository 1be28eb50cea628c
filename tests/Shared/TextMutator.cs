using System;
using System.Collections.Generic;
using System.Text;

namespace WsusRemediation.Tests.Shared
{
    /// <summary>
    /// Damages text the way truncation, bad copies and hand edits do: a few random edits, each cutting
    /// a run, copying a run elsewhere, or inserting a noise token. Driven by the caller's seeded Random,
    /// so every run of a test or of the benchmark's fingerprint sees the same damaged inputs. Shared by
    /// the engine tests and the benchmark (linked into both projects).
    /// </summary>
    internal static class TextMutator
    {
        /// <summary>Returns <paramref name="original"/> with 1 to <paramref name="maxEdits"/> random edits.</summary>
        /// <param name="original">The text to damage.</param>
        /// <param name="random">The seeded source of randomness.</param>
        /// <param name="noise">Tokens to insert.</param>
        /// <param name="maxEdits">The most edits applied.</param>
        /// <param name="maxRun">The longest run cut or copied.</param>
        /// <param name="copyRuns">Whether an edit may copy a run elsewhere (splices), besides cutting and inserting.</param>
        public static string Mutate(string original, Random random, IReadOnlyList<string> noise, int maxEdits, int maxRun, bool copyRuns = true)
        {
            var text = new StringBuilder(original);
            for (var edits = random.Next(1, maxEdits + 1); edits > 0 && text.Length > 2; edits--)
            {
                var at = random.Next(text.Length);
                var length = Math.Min(text.Length - at, random.Next(1, maxRun + 1));
                switch (random.Next(copyRuns ? 3 : 2))
                {
                    case 0:
                        text.Remove(at, length);
                        break;
                    case 2:
                        text.Insert(random.Next(text.Length), text.ToString(at, length));
                        break;
                    default:
                        text.Insert(at, noise[random.Next(noise.Count)]);
                        break;
                }
            }

            return text.ToString();
        }

        /// <summary>Each character of <paramref name="characters"/> as a noise token.</summary>
        public static string[] Tokens(string characters)
        {
            var tokens = new string[characters.Length];
            for (var i = 0; i < characters.Length; i++)
            {
                tokens[i] = characters[i].ToString();
            }

            return tokens;
        }
    }
}
