"""What the console's namespace says (backprop.console), in Spanish and English: the names stay
Spanish on both (red, entrenar…), the sentences follow the page's language."""

import math

TEXT = {
    "es": {
        "one_value": "Escribe un solo valor cada vez: {name}[i] = número.",
        "one_weight": "Escribe un solo peso cada vez: pesos[j][i] = número.",
        "whole": "«{name}» no se puede sustituir entero: cambia un valor cada vez, por ejemplo "
                 "capa.pesos[0][1] = 0.5.",
        "neurons": "la capa tiene {n} neuronas: pesos[0] … pesos[{last}]",
        "layer": "<capa {k}: {inputs} entradas → {neurons} neuronas, activación {act}>",
        "red": "<red {sizes}, época {epoch}, pérdida {loss}>",
        "datos": "<datos «{name}»: {train} puntos de entrenamiento, {val} de validación, {task}>",
        "binary": "clasificación binaria", "multiclass": "clasificación en varias clases",
        "regression": "regresión",
        "step": "Paso sobre {n} ejemplos de entrenamiento: pérdida {before} → {after}",
        "more_events": "  … {n} sucesos más en traza()[\"events\"]",
        "epochs": "entrenar(n): n debe ser un número entero entre 1 y {max}.",
        "stopped": "entrenar: detenido por tiempo tras {n} épocas",
        "diverged": "La red ha divergido en la época {epoch}: prueba reiniciar().",
        "no_trace": "Todavía no hay traza: llama antes a paso().",
        "help": """Consola de Python sobre la red del widget. Nombres preparados:

  red                  la red: red.capas[0] es la primera capa oculta
  red.capas[k].pesos   pesos de la capa (neuronas × entradas); pesos[j][i] va de la
                       entrada i a la neurona j. Se pueden cambiar:
                           red.capas[0].pesos[0][0] = 0.5
  red.capas[k].sesgos  sesgos de la capa; red.capas[0].sesgos[1] = -0.2
  datos                los datos: datos.x, datos.y, datos.x_val, datos.y_val, datos.clases
  entrenar(n)          entrena n épocas (como Entrenar en el widget)
  paso()               un paso sobre el siguiente minilote; devuelve su traza
  traza()              la traza del último paso
  predecir(x)          la salida de la red para un punto [x1, x2] o una lista de puntos
  reiniciar()          vuelve a la época 0 con los pesos iniciales
  ayuda()              esta ayuda

El widget se redibuja después de cada orden que cambia la red. Tab completa nombres,
↑ y ↓ recorren el historial, Ctrl+C interrumpe. Una orden que tarda más de {limit} s
se detiene sola.""",
    },
    "en": {
        "one_value": "Write one value at a time: {name}[i] = number.",
        "one_weight": "Write one weight at a time: pesos[j][i] = number.",
        "whole": "“{name}” cannot be replaced as a whole: change one value at a time, for "
                 "example capa.pesos[0][1] = 0.5.",
        "neurons": "the layer has {n} neurons: pesos[0] … pesos[{last}]",
        "layer": "<layer {k}: {inputs} inputs → {neurons} neurons, activation {act}>",
        "red": "<network {sizes}, epoch {epoch}, loss {loss}>",
        "datos": "<data “{name}”: {train} training points, {val} validation points, {task}>",
        "binary": "binary classification", "multiclass": "multiclass classification",
        "regression": "regression",
        "step": "Step on {n} training examples: loss {before} → {after}",
        "more_events": "  … {n} more events in traza()[\"events\"]",
        "epochs": "entrenar(n): n must be a whole number from 1 to {max}.",
        "stopped": "entrenar: stopped by the time limit after {n} epochs",
        "diverged": "The network diverged at epoch {epoch}: try reiniciar().",
        "no_trace": "No trace yet: call paso() first.",
        "help": """Python console on the widget's network. Prepared names (in Spanish):

  red                  the network: red.capas[0] is the first hidden layer
  red.capas[k].pesos   the layer's weights (neurons × inputs); pesos[j][i] goes from
                       input i to neuron j. They can be changed:
                           red.capas[0].pesos[0][0] = 0.5
  red.capas[k].sesgos  the layer's biases; red.capas[0].sesgos[1] = -0.2
  datos                the data: datos.x, datos.y, datos.x_val, datos.y_val, datos.clases
  entrenar(n)          train n epochs (like Train in the widget)
  paso()               one step on the next mini-batch; returns its trace
  traza()              the last step's trace
  predecir(x)          the network's output for a point [x1, x2] or a list of points
  reiniciar()          back to epoch 0 with the initial weights
  ayuda()              this help

The widget redraws after every command that changes the network. Tab completes names,
↑ and ↓ walk the history, Ctrl+C interrupts. A command running longer than {limit} s
stops by itself.""",
    },
}


def say(lang, key, **params):
    return TEXT["en" if lang == "en" else "es"][key].format(**params)


def num(x, lang="es") -> str:
    """A number for a learner: four decimals, true minus sign, decimal comma in Spanish."""
    if x is None or not math.isfinite(x):
        return "—"
    text = f"{x:.4f}".replace("-", "−")
    return text if lang == "en" else text.replace(".", ",")


def seconds(s, lang="es") -> str:
    """3 → "3", 0.5 → "0,5" (Spanish) or "0.5"."""
    text = f"{s:g}"
    return text if lang == "en" else text.replace(".", ",")
