#!/usr/bin/env bash
# Test de mutation du moteur (issue 26) : mutmut mute iagcli/moteur/conditions.py, evaluation.py et
# plan.py (`[tool.mutmut]` de pyproject.toml), rejoue pour chaque mutant les tests de
# tests/test_conditions.py, test_evaluation.py et test_plan.py qui passent par la fonction mutée, puis
# imprime le score par module, les mutants restés vivants, et en dernière ligne
# `mutation: K/N killed (P %)` (N exclut seulement les mutants équivalents de
# bench/mutation-equivalents.txt, chacun avec sa raison).
#
# Depuis un clone propre, sans surveillance : l'environnement vit dans bench/out/venv-mutation et les
# mutants dans mutants/ (ignorés par git), refaits à chaque run. Le journal complet de mutmut va dans
# bench/out/mutation.log. MUTATION_PROCESSUS règle le nombre de processus (2 par défaut).
set -euo pipefail
cd "$(dirname "$0")/.."
processus="${MUTATION_PROCESSUS:-2}"
venv=bench/out/venv-mutation
mkdir -p bench/out
if [ ! -x "$venv/bin/mutmut" ]; then
  echo "mutation : environnement $venv (iag éditable, extras test et mutation)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q -e '.[test,mutation]'
fi
rm -rf mutants
debut=$(date +%s)
echo "mutation : mutmut run --max-children $processus (journal : bench/out/mutation.log)"
# mutmut rend 0 même si des mutants survivent ; un échec ici (tests rouges sans mutant, config) arrête tout.
if ! "$venv/bin/mutmut" run --max-children "$processus" >bench/out/mutation.log 2>&1; then
  tail -n 40 bench/out/mutation.log >&2
  echo "mutation : mutmut a échoué (voir bench/out/mutation.log)" >&2
  exit 1
fi
echo "mutation : $(( $(date +%s) - debut )) s"
"$venv/bin/python" bench/mutation_score.py
